import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../model';
import { actorOf, backTo, deleteAnyway, formOf, refusal, type Refusal } from './config-form';
import { configServices, type ConfigServices } from './config-services';
import { html, type SafeHtml } from './html';
import type { SectionId } from './layout';
import type { AdminPageContext } from './page-context';
import { runPageAction } from './page-operation';
import { field, type FormBody } from './session';

/** A form's values as text: what the administrator typed, re-shown after a refusal. */
export type FormValues = Readonly<Record<string, string>>;

/** What a check (test send, ping) answered, and the status the page is sent with. */
export interface CheckAnswer {
  readonly ok: boolean;
  readonly text: string;
  readonly status: number;
}

/** The form of a resource, for adding (`editing: false`) or editing one. */
export interface FormInput {
  readonly action: string;
  readonly values: FormValues;
  readonly editing: boolean;
  readonly refused?: Refusal;
}

/**
 * One kind of configuration with a list, a form and a detail page, all through the service
 * layer. `T` is the stored item as the service shows it (secrets masked).
 */
export interface ConfigResource<T> {
  readonly section: SectionId;
  /** Path under the admin scope, e.g. `/smtp`; the API's route is `/api` + it (`/api/smtp`), whose events the page's actions raise. */
  readonly path: string;
  /** The API's name of the key parameter: `/api/smtp/:name`, `/api/webhooks/:id` (default `name`). */
  readonly apiKey?: 'id' | 'name';
  readonly title: string;
  /** "mail server": in headings and notices. */
  readonly noun: string;
  /** Form field names (a refusal's message is matched to them). */
  readonly fields: readonly string[];
  /** Shown when the host runs without the plugin behind the page. */
  readonly missing: string;
  list(s: ConfigServices, actor: User): SafeHtml;
  find(s: ConfigServices, actor: User, key: string): T;
  keyOf(item: T): string;
  labelOf(item: T): string;
  valuesOf(item: T): FormValues;
  form(o: FormInput): SafeHtml;
  /** Saves a new one; `shown` is put on the list page once (a generated secret). */
  create(s: ConfigServices, actor: User, values: FormValues): { readonly label: string; readonly shown?: SafeHtml };
  update(s: ConfigServices, actor: User, key: string, values: FormValues): void;
  remove(s: ConfigServices, actor: User, key: string, force: boolean): void | Promise<void>;
  /** Below the edit form: a test form, a delivery log… `answer` is the last check's. */
  detail?(s: ConfigServices, actor: User, item: T, form: FormBody, answer?: CheckAnswer): SafeHtml;
  /** `POST {path}/:key/{check.name}`: a test send or ping, shown with the detail page. */
  readonly check?: { readonly name: string; run(s: ConfigServices, actor: User, item: T, form: FormBody): Promise<Omit<CheckAnswer, 'status'>> };
}

const keyParams = { params: { type: 'object', properties: { key: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['key'] } } as const;

/** Reads the resource's fields from a posted form. */
export function valuesFrom(form: FormBody, fields: readonly string[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f, field(form, f).trim()]));
}

/**
 * Registers the pages of one configuration kind: `GET {path}` (list), `GET {path}/new`,
 * `POST {path}` (add), `GET|POST {path}/:key` (edit), `POST {path}/:key/delete` (409 in use →
 * "Delete anyway") and, when it has one, `POST {path}/:key/{check}`.
 *
 * @example
 * ```ts
 * registerConfigResource(ctx, SMTP_RESOURCE);
 * ```
 */
export function registerConfigResource<T>(ctx: AdminPageContext, r: ConfigResource<T>): void {
  const services = configServices(ctx);
  const base = `/admin${r.path}`;
  const link = (key: string): string => `${base}/${encodeURIComponent(key)}`;
  const keyOf = (req: FastifyRequest): string => (req.params as { key: string }).key;
  type Handler = (s: ConfigServices, actor: User) => Promise<FastifyReply> | FastifyReply;
  const handle = (run: (req: FastifyRequest, reply: FastifyReply) => Handler) => async (req: FastifyRequest, reply: FastifyReply) =>
    services === undefined ? ctx.section(req, reply, r.section, r.title, html`<p class="card">${r.missing}</p>`, 404) : run(req, reply)(services, actorOf(ctx, req));
  const listPage = (req: FastifyRequest, reply: FastifyReply, s: ConfigServices, actor: User, top: SafeHtml = html``, status = 200): FastifyReply =>
    ctx.section(req, reply, r.section, r.title, html`${top}${r.list(s, actor)}`, status);
  const editPage = (req: FastifyRequest, reply: FastifyReply, s: ConfigServices, actor: User, o: { item: T; values?: FormValues; refused?: Refusal; answer?: CheckAnswer }): FastifyReply => {
    const key = r.keyOf(o.item);
    const body = html`${r.form({ action: link(key), values: o.values ?? r.valuesOf(o.item), editing: true, ...(o.refused ? { refused: o.refused } : {}) })}${r.detail?.(s, actor, o.item, formOf(req), o.answer) ?? ''}`;
    return ctx.section(req, reply, r.section, `${cap(r.noun)} "${r.labelOf(o.item)}"`, body, o.refused?.status ?? o.answer?.status ?? 200);
  };
  const addTitle = `Add a ${r.noun}`;
  // Each action is the API operation it stands for (`POST /api/smtp`…): the same pre and post rules apply.
  const api = `/api${r.path}`;
  const keyParam = r.apiKey ?? 'name';
  const op = <R>(req: FastifyRequest, o: { method: string; route: string; key?: string; body?: unknown }, action: () => R | Promise<R>, ok = 200): Promise<R> =>
    runPageAction(ctx, req, { method: o.method, route: o.route, ...(o.key !== undefined ? { params: { [keyParam]: o.key } } : {}), ...(o.body !== undefined ? { body: o.body } : {}) }, action, ok);

  ctx.admin.get(r.path, handle((req, reply) => (s, actor) => listPage(req, reply, s, actor)));
  ctx.admin.get(`${r.path}/new`, handle((req, reply) => () => ctx.section(req, reply, r.section, addTitle, r.form({ action: base, values: {}, editing: false }))));
  ctx.admin.post(r.path, handle((req, reply) => async (s, actor) => {
    const values = valuesFrom(formOf(req), r.fields);
    try {
      const made = await op(req, { method: 'POST', route: api, body: values }, () => r.create(s, actor, values), 201);
      if (made.shown !== undefined) return listPage(req, reply, s, actor, html`<p class="notice" role="status">${cap(r.noun)} "${made.label}" was saved.</p>${made.shown}`);
      return backTo(reply, base, { notice: `${cap(r.noun)} "${made.label}" was saved.` });
    } catch (e) {
      const refused = refusal(e, r.fields);
      return ctx.section(req, reply, r.section, addTitle, r.form({ action: base, values, editing: false, refused }), refused.status);
    }
  }));
  ctx.admin.get(`${r.path}/:key`, { schema: keyParams }, handle((req, reply) => (s, actor) => editPage(req, reply, s, actor, { item: r.find(s, actor, keyOf(req)) })));
  ctx.admin.post(`${r.path}/:key`, { schema: keyParams }, handle((req, reply) => async (s, actor) => {
    const item = r.find(s, actor, keyOf(req));
    const values = { ...r.valuesOf(item), ...valuesFrom(formOf(req), r.fields) };
    try {
      await op(req, { method: 'PATCH', route: `${api}/:${keyParam}`, key: r.keyOf(item), body: values }, () => r.update(s, actor, r.keyOf(item), values));
      return backTo(reply, base, { notice: `${cap(r.noun)} "${r.labelOf(item)}" was saved.` });
    } catch (e) {
      return editPage(req, reply, s, actor, { item, values, refused: refusal(e, r.fields) });
    }
  }));
  ctx.admin.post(`${r.path}/:key/delete`, { schema: keyParams }, handle((req, reply) => async (s, actor) => {
    const key = keyOf(req);
    try {
      const label = r.labelOf(r.find(s, actor, key));
      const force = field(formOf(req), 'force') === 'true';
      await op(req, { method: 'DELETE', route: `${api}/:${keyParam}`, key }, () => r.remove(s, actor, key, force), 204);
      return backTo(reply, base, { notice: `${cap(r.noun)} "${label}" was deleted.` });
    } catch (e) {
      const refused = refusal(e, []);
      const top = html`<p class="notice error" role="alert" id="delete-error">${refused.message}</p>${refused.status === 409 ? deleteAnyway(`${link(key)}/delete`, 'delete-anyway', r.noun) : ''}`;
      return listPage(req, reply, s, actor, top, refused.status);
    }
  }));
  const check = r.check;
  if (check !== undefined) {
    ctx.admin.post(`${r.path}/:key/${check.name}`, { schema: keyParams }, handle((req, reply) => async (s, actor) => {
      const item = r.find(s, actor, keyOf(req));
      let answer: CheckAnswer;
      try {
        const run = () => check.run(s, actor, item, formOf(req));
        answer = { ...(await op(req, { method: 'POST', route: `${api}/:${keyParam}/${check.name}`, key: r.keyOf(item), body: formOf(req) }, run)), status: 200 };
      } catch (e) {
        const refused = refusal(e, []);
        answer = { ok: false, text: refused.message, status: refused.status };
      }
      return editPage(req, reply, s, actor, { item, answer });
    }));
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
