import type { EmailHookConfig, EmailHookConfigInput, EmailHookConfigPatch, Stored } from '@plugboard/notify';
import { listOf } from '../admin/config-form';
import type { ConfigResource, FormValues } from '../admin/config-resource';
import { registerConfigResource } from '../admin/config-resource';
import type { AdminPageContext } from '../admin/page-context';
import { EMAIL_HOOK_FIELDS, emailHookDetail, emailHookForm, emailHookList, emailHookValues } from './email-hooks-view';

// Empty credentials are left out, so an edit keeps the stored ones (a new simple hook is then refused, naming the field).
function settingsOf(v: FormValues): EmailHookConfigInput['settings'] {
  const port = (v.port ?? '') === '' ? undefined : Number(v.port);
  return {
    recipients: v.recipients ?? '',
    sender: v.sender ?? '',
    senderName: v.senderName ?? '',
    subject: v.subject ?? '',
    region: v.region ?? '',
    requireTls: v.requireTls !== 'false',
    ...((v.host ?? '') !== '' ? { host: v.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...((v.credentials ?? '') !== '' ? { credentials: v.credentials } : {}),
  };
}

function patchOf(v: FormValues): EmailHookConfigPatch {
  return { kind: v.kind === 'ses' ? 'ses' : 'simple', events: listOf(v.events ?? ''), realms: listOf(v.realms ?? ''), settings: settingsOf(v) };
}

/** Stored email hooks (eventhooks' simple SMTP and Amazon SES hooks). */
export const EMAIL_HOOK_RESOURCE: ConfigResource<Stored<EmailHookConfig>> = {
  section: 'email-hooks',
  path: '/email-hooks',
  title: 'Email hooks',
  noun: 'email hook',
  fields: EMAIL_HOOK_FIELDS,
  missing: 'This host runs without the notification plugin.',
  list: (s, actor) => emailHookList(s.admin.listEmailHooks(actor)),
  find: (s, actor, key) => s.admin.emailHook(actor, key),
  keyOf: (h) => h.name,
  labelOf: (h) => h.name,
  valuesOf: emailHookValues,
  form: emailHookForm,
  create: async (s, actor, v) => ({ label: (await s.admin.createEmailHook(actor, { name: v.name ?? '', kind: v.kind === 'ses' ? 'ses' : 'simple', events: listOf(v.events ?? ''), realms: listOf(v.realms ?? ''), settings: settingsOf(v) })).name }),
  update: async (s, actor, key, v) => void (await s.admin.updateEmailHook(actor, key, patchOf(v))),
  remove: (s, actor, key) => s.admin.removeEmailHook(actor, key),
  detail: async (s, actor, h) => emailHookDetail(await s.admin.emailHookLog(actor, h.name)),
};

/**
 * The email hooks page, `/admin/email-hooks`: list (credentials never shown), add, edit, delete,
 * and each hook's delivery log (its mail in the outbox with every attempt).
 *
 * @example
 * ```ts
 * registerEmailHooksPage(ctx); // inside registerAdmin
 * ```
 */
export function registerEmailHooksPage(ctx: AdminPageContext): void {
  registerConfigResource(ctx, EMAIL_HOOK_RESOURCE);
}
