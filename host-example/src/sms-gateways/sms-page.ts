import type { SmsGatewayConfig, SmsGatewayConfigInput, Stored } from '@plugboard/notify';
import type { ConfigResource, FormValues } from '../admin/config-resource';
import { registerConfigResource } from '../admin/config-resource';
import type { AdminPageContext } from '../admin/page-context';
import { field } from '../admin/session';
import { notFound } from '../errors';
import { SMS_FIELDS, smsForm, smsList, smsTestForm, smsValues } from './sms-view';

// "to={phone}" lines (or "Name: value" for headers) → a record; a line without the separator is kept as a name with an empty value, so the service names it.
function recordOf(text: string, sep: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf(sep);
    out[(at < 0 ? line : line.slice(0, at)).trim()] = at < 0 ? '' : line.slice(at + sep.length).trim();
  }
  return out;
}

function inputOf(v: FormValues): Omit<SmsGatewayConfigInput, 'name'> {
  return {
    description: v.description ?? '',
    url: v.url ?? '',
    method: (v.method ?? 'POST') as SmsGatewayConfigInput['method'],
    bodyFormat: (v.bodyFormat ?? 'form') as SmsGatewayConfigInput['bodyFormat'],
    parameters: recordOf(v.parameters ?? '', '='),
    headers: recordOf(v.headers ?? '', ':'),
  };
}

/** SMS gateways: what rules name as their "smsconfig". */
export const SMS_RESOURCE: ConfigResource<Stored<SmsGatewayConfig>> = {
  section: 'sms-gateways',
  path: '/sms-gateways',
  title: 'SMS gateways',
  noun: 'SMS gateway',
  fields: SMS_FIELDS,
  missing: 'This host runs without the notification plugin.',
  list: (s, actor) => smsList(s.admin.listSms(actor)),
  find: (s, actor, key) => {
    const found = s.admin.listSms(actor).find((c) => c.name === key);
    if (found === undefined) throw notFound('SMS gateway', key);
    return found;
  },
  keyOf: (c) => c.name,
  labelOf: (c) => c.name,
  valuesOf: smsValues,
  form: smsForm,
  create: async (s, actor, v) => ({ label: (await s.admin.createSms(actor, { name: v.name ?? '', ...inputOf(v) })).name }),
  update: async (s, actor, key, v) => void (await s.admin.updateSms(actor, key, inputOf(v))),
  remove: (s, actor, key, force) => s.admin.deleteSms(actor, key, force),
  detail: (_s, _actor, c, form, answer) => smsTestForm(c.name, field(form, 'to'), answer),
  check: {
    name: 'test',
    run: async (s, actor, c, form) => {
      const to = field(form, 'to').trim();
      const r = await s.tests.sms(actor, c.name, to);
      return { ok: true, text: `The gateway accepted the test SMS to ${to} in ${Math.round(r.durationMs)} ms: ${r.detail}` };
    },
  },
};

/**
 * The SMS gateways page, `/admin/sms-gateways`: list (secret parameters shown as `***`), add,
 * edit, delete (one that rules use is refused with their names, then "Delete anyway"), and a
 * test SMS to a mobile number sent now through `ConnectionTests.sms`.
 *
 * @example
 * ```ts
 * registerSmsGatewaysPage(ctx); // inside registerAdmin
 * ```
 */
export function registerSmsGatewaysPage(ctx: AdminPageContext): void {
  registerConfigResource(ctx, SMS_RESOURCE);
}
