import type { SmtpConfig, SmtpConfigInput, Stored } from '@plugboard/notify';
import type { ConfigResource, FormValues } from '../admin/config-resource';
import { registerConfigResource } from '../admin/config-resource';
import type { AdminPageContext } from '../admin/page-context';
import { field } from '../admin/session';
import { SMTP_FIELDS, smtpForm, smtpList, smtpTestForm, smtpValues } from './smtp-view';

// The form's text → the service's input: numbers and booleans typed, an empty password left out (kept on edit).
function inputOf(v: FormValues): Omit<SmtpConfigInput, 'name'> {
  const port = (v.port ?? '') === '' ? undefined : Number(v.port);
  return {
    description: v.description ?? '',
    host: v.host ?? '',
    ...(port !== undefined ? { port } : {}),
    security: (v.security ?? 'starttls') as SmtpConfigInput['security'],
    sender: v.sender ?? '',
    senderName: v.senderName ?? '',
    username: v.username ?? '',
    ...((v.password ?? '') !== '' ? { password: v.password } : {}),
    rejectUnauthorized: v.rejectUnauthorized !== 'false',
  };
}

/** Mail servers: what rules name as their "emailconfig". */
export const SMTP_RESOURCE: ConfigResource<Stored<SmtpConfig>> = {
  section: 'smtp',
  path: '/smtp',
  title: 'Mail servers (SMTP)',
  noun: 'mail server',
  fields: SMTP_FIELDS,
  missing: 'This host runs without the notification plugin.',
  list: (s, actor) => smtpList(s.admin.listSmtp(actor)),
  find: (s, actor, key) => s.admin.smtp(actor, key),
  keyOf: (c) => c.name,
  labelOf: (c) => c.name,
  valuesOf: smtpValues,
  form: smtpForm,
  create: async (s, actor, v) => ({ label: (await s.admin.createSmtp(actor, { name: v.name ?? '', ...inputOf(v) })).name }),
  update: async (s, actor, key, v) => void (await s.admin.updateSmtp(actor, key, inputOf(v))),
  remove: (s, actor, key, force) => s.admin.deleteSmtp(actor, key, force),
  detail: (_s, _actor, c, form, answer) => smtpTestForm(c.name, field(form, 'to'), answer),
  check: {
    name: 'test',
    run: async (s, actor, c, form) => {
      const to = field(form, 'to').trim();
      const r = await s.tests.smtp(actor, c.name, to);
      return { ok: true, text: `The mail server accepted the test mail to ${to} in ${Math.round(r.durationMs)} ms: ${r.detail}` };
    },
  },
};

/**
 * The mail servers page, `/admin/smtp`: list (passwords never shown), add, edit, delete (one that
 * rules use is refused with their names, then "Delete anyway"), and a test mail sent now through
 * `ConnectionTests.smtp`. Everything goes through `PluginAdmin`.
 *
 * @example
 * ```ts
 * registerSmtpPage(ctx); // inside registerAdmin
 * ```
 */
export function registerSmtpPage(ctx: AdminPageContext): void {
  registerConfigResource(ctx, SMTP_RESOURCE);
}
