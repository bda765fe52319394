import type { SmsGatewayConfig, Stored } from '@plugboard/notify';
import { answerBox, inputField, postForm, refusedBox, selectField, textareaField } from '../admin/config-form';
import type { FormInput, FormValues } from '../admin/config-resource';
import { html, type SafeHtml } from '../admin/html';
import { actionButton, table } from '../admin/widgets';

/** The fields of the SMS gateway form, in order. */
export const SMS_FIELDS = ['name', 'description', 'url', 'method', 'bodyFormat', 'parameters', 'headers'] as const;

const pairs = (record: Readonly<Record<string, string>>, sep: string): string =>
  Object.entries(record)
    .map(([k, v]) => `${k}${sep}${v}`)
    .join('\n');

/** Text values of a stored gateway; secret parameters and headers stay `***` (saved back unchanged). */
export function smsValues(c: Stored<SmsGatewayConfig>): FormValues {
  return { name: c.name, description: c.description, url: c.url, method: c.method, bodyFormat: c.bodyFormat, parameters: pairs(c.parameters, '='), headers: pairs(c.headers, ': ') };
}

/** The list of SMS gateways, each with its delete button. */
export function smsList(configs: readonly Stored<SmsGatewayConfig>[]): SafeHtml {
  const link = (c: Stored<SmsGatewayConfig>): string => `/admin/sms-gateways/${encodeURIComponent(c.name)}`;
  return html`<p class="lead">HTTP gateways that rules send text messages to mobile numbers through (a rule's “smsconfig”). <a class="button" href="/admin/sms-gateways/new">Add an SMS gateway</a></p>
${table(
  'SMS gateways',
  [
    { label: 'Name', cell: (c: Stored<SmsGatewayConfig>) => html`<a href="${link(c)}">${c.name}</a>` },
    { label: 'Gateway', cell: (c: Stored<SmsGatewayConfig>) => html`${c.method} <code>${c.url}</code>` },
    { label: 'Parameters', cell: (c: Stored<SmsGatewayConfig>) => html`<code>${Object.entries(c.parameters).map(([k, v]) => `${k}=${v}`).join(' ')}</code>` },
    {
      label: 'Actions',
      cell: (c: Stored<SmsGatewayConfig>) =>
        html`<div class="actions"><a href="${link(c)}" aria-label="Edit or test SMS gateway ${c.name}">Edit / send a test</a>${actionButton(`${link(c)}/delete`, { id: `sms-${c.name}-delete`, label: 'Delete', ariaLabel: `Delete SMS gateway ${c.name}`, className: 'danger', confirm: `Delete SMS gateway "${c.name}"?` })}</div>`,
    },
  ],
  configs,
  'No SMS gateway yet: add one, then rules can text mailbox owners.',
)}`;
}

/** Create or edit form of a gateway. */
export function smsForm(o: FormInput): SafeHtml {
  const v = (k: string): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The SMS gateway', bad)}
${inputField({ name: 'name', label: 'Name', value: v('name'), required: true, readonly: o.editing, invalid: bad, help: 'Rules name the gateway by it; letters, digits, “_”, “.” and “-”.' })}
${inputField({ name: 'description', label: 'Description', value: v('description'), invalid: bad })}
${inputField({ name: 'url', label: 'Gateway URL', type: 'url', value: v('url'), required: true, invalid: bad, help: 'http(s); may contain {phone} and {message}. Credentials in it are shown as ***.' })}
${selectField({ name: 'method', label: 'Method', value: v('method') || 'POST', values: [['POST', 'POST'], ['GET', 'GET']], invalid: bad })}
${selectField({ name: 'bodyFormat', label: 'POST body', value: v('bodyFormat') || 'form', values: [['form', 'Form fields'], ['json', 'JSON']], invalid: bad })}
${textareaField({ name: 'parameters', label: 'Parameters', value: v('parameters'), invalid: bad, help: 'One name=value a line, e.g. to={phone} and text={message}. Secret values show as *** and are kept when saved unchanged.' })}
${textareaField({ name: 'headers', label: 'Headers', value: v('headers'), invalid: bad, help: 'One “Name: value” a line, e.g. Authorization: Bearer …' })}
<div class="actions"><button type="submit" id="sms-save">Save SMS gateway</button> <a href="/admin/sms-gateways">Cancel</a></div>`,
  );
}

/** The "send a test" form of one gateway, with what it answered. */
export function smsTestForm(name: string, to: string, answer?: { readonly ok: boolean; readonly text: string }): SafeHtml {
  return html`<section aria-labelledby="sms-test-h"><h2 id="sms-test-h">Send a test SMS</h2>
${postForm(
  `/admin/sms-gateways/${encodeURIComponent(name)}/test`,
  html`${inputField({ name: 'to', label: 'Mobile number', type: 'tel', value: to, required: true, help: 'In international format (E.164), e.g. +491701234567; sent now, not queued.' })}
<div class="actions"><button type="submit" id="sms-test">Send a test</button></div>`,
)}${answerBox(answer)}</section>`;
}
