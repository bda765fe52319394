import type { SmtpConfigInput } from '@plugboard/notify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, backTo, deleteAnyway, formOf, refusal, type Refusal } from '../admin/config-form';
import { configServices, type ConfigServices } from '../admin/config-services';
import { html, type SafeHtml } from '../admin/html';
import type { AdminPageContext } from '../admin/page-context';
import { field, type FormBody } from '../admin/session';
import { SMTP_FIELDS, smtpForm, smtpList, smtpTestForm, smtpValues, type SmtpValues } from './smtp-view';

const TITLE = 'Mail servers (SMTP)';
const nameParams = { params: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['name'] } } as const;

function valuesOf(form: FormBody): SmtpValues {
  return Object.fromEntries(SMTP_FIELDS.map((f) => [f, field(form, f).trim()]));
}

// The form's text → the service's input: numbers and booleans typed, an empty password left out (kept on edit).
function inputOf(v: SmtpValues): Omit<SmtpConfigInput, 'name'> {
  const port = v.port === '' ? undefined : Number(v.port);
  return {
    description: v.description,
    host: v.host,
    ...(port !== undefined ? { port } : {}),
    security: v.security as SmtpConfigInput['security'],
    sender: v.sender,
    senderName: v.senderName,
    username: v.username,
    ...(v.password !== '' ? { password: v.password } : {}),
    rejectUnauthorized: v.rejectUnauthorized !== 'false',
  };
}

const nameOf = (req: FastifyRequest): string => (req.params as { name: string }).name;

/**
 * The mail servers page, `/admin/smtp`: list (passwords never shown), add, edit, delete (a server
 * that rules use is refused with their names, then "Delete anyway"), and a test mail sent now
 * through `ConnectionTests.smtp`. Everything goes through {@link PluginAdmin}.
 *
 * @example
 * ```ts
 * registerSmtpPage(ctx); // inside registerAdmin
 * ```
 */
export function registerSmtpPage(ctx: AdminPageContext): void {
  const { admin } = ctx;
  const services = configServices(ctx);
  const withServices = (req: FastifyRequest, reply: FastifyReply, run: (s: ConfigServices) => Promise<FastifyReply> | FastifyReply): Promise<FastifyReply> | FastifyReply =>
    services === undefined ? ctx.section(req, reply, 'smtp', TITLE, html`<p class="card">This host runs without the notification plugin.</p>`, 404) : run(services);
  const listPage = (req: FastifyRequest, reply: FastifyReply, s: ConfigServices, extra: SafeHtml = html``, status = 200): FastifyReply =>
    ctx.section(req, reply, 'smtp', TITLE, html`${extra}${smtpList(s.admin.listSmtp(actorOf(ctx, req)))}`, status);
  const formPage = (req: FastifyRequest, reply: FastifyReply, o: { title: string; action: string; values: SmtpValues; editing: boolean; refused?: Refusal; test?: SafeHtml; status?: number }): FastifyReply =>
    ctx.section(req, reply, 'smtp', o.title, html`${smtpForm(o)}${o.test ?? ''}`, o.status ?? o.refused?.status ?? 200);

  admin.get('/smtp', async (req, reply) => withServices(req, reply, (s) => listPage(req, reply, s)));
  admin.get('/smtp/new', async (req, reply) => withServices(req, reply, () => formPage(req, reply, { title: 'Add a mail server', action: '/admin/smtp', values: {}, editing: false })));
  admin.post('/smtp', async (req, reply) =>
    withServices(req, reply, (s) => {
      const values = valuesOf(formOf(req));
      try {
        s.admin.createSmtp(actorOf(ctx, req), { name: values.name, ...inputOf(values) });
        return backTo(reply, '/admin/smtp', { notice: `Mail server "${values.name}" was saved.` });
      } catch (e) {
        return formPage(req, reply, { title: 'Add a mail server', action: '/admin/smtp', values, editing: false, refused: refusal(e, SMTP_FIELDS) });
      }
    }),
  );
  admin.get('/smtp/:name', { schema: nameParams }, async (req, reply) =>
    withServices(req, reply, (s) => {
      const config = s.admin.smtp(actorOf(ctx, req), nameOf(req));
      return formPage(req, reply, { title: `Mail server "${config.name}"`, action: `/admin/smtp/${config.name}`, values: smtpValues(config), editing: true, test: smtpTestForm(config.name, '') });
    }),
  );
  admin.post('/smtp/:name', { schema: nameParams }, async (req, reply) =>
    withServices(req, reply, (s) => {
      const name = nameOf(req);
      const values = { ...valuesOf(formOf(req)), name };
      try {
        s.admin.updateSmtp(actorOf(ctx, req), name, inputOf(values));
        return backTo(reply, '/admin/smtp', { notice: `Mail server "${name}" was saved.` });
      } catch (e) {
        return formPage(req, reply, { title: `Mail server "${name}"`, action: `/admin/smtp/${name}`, values, editing: true, refused: refusal(e, SMTP_FIELDS) });
      }
    }),
  );
  admin.post('/smtp/:name/delete', { schema: nameParams }, async (req, reply) =>
    withServices(req, reply, (s) => {
      const name = nameOf(req);
      try {
        s.admin.deleteSmtp(actorOf(ctx, req), name, field(formOf(req), 'force') === 'true');
        return backTo(reply, '/admin/smtp', { notice: `Mail server "${name}" was deleted.` });
      } catch (e) {
        const r = refusal(e, []);
        const box = html`<p class="notice error" role="alert">${r.message}</p>${r.status === 409 ? deleteAnyway(`/admin/smtp/${name}/delete`, `smtp-${name}-force`, 'mail server') : ''}`;
        return listPage(req, reply, s, box, r.status);
      }
    }),
  );
  admin.post('/smtp/:name/test', { schema: nameParams }, async (req, reply) =>
    withServices(req, reply, async (s) => {
      const actor = actorOf(ctx, req);
      const config = s.admin.smtp(actor, nameOf(req));
      const to = field(formOf(req), 'to').trim();
      let answer: { ok: boolean; text: string };
      let status = 200;
      try {
        const r = await s.tests.smtp(actor, config.name, to);
        answer = { ok: true, text: `The server accepted the test mail to ${to} in ${Math.round(r.durationMs)} ms: ${r.detail}` };
      } catch (e) {
        const r = refusal(e, []);
        status = r.status;
        answer = { ok: false, text: r.message };
      }
      return formPage(req, reply, { title: `Mail server "${config.name}"`, action: `/admin/smtp/${config.name}`, values: smtpValues(config), editing: true, test: smtpTestForm(config.name, to, answer), status });
    }),
  );
}
