import type { EmailHookConfig, EmailHookDelivery, Stored } from '@plugboard/notify';
import { checkField, inputField, postForm, refusedBox, selectField } from '../admin/config-form';
import type { FormInput, FormValues } from '../admin/config-resource';
import { deliveryLog } from '../admin/delivery-log';
import { html, type SafeHtml } from '../admin/html';
import { actionButton, table } from '../admin/widgets';

/** The fields of the email hook form, in order. */
export const EMAIL_HOOK_FIELDS = ['name', 'kind', 'events', 'realms', 'recipients', 'subject', 'sender', 'senderName', 'host', 'port', 'credentials', 'requireTls', 'region'] as const;

type Hook = Stored<EmailHookConfig>;
const link = (h: Hook): string => `/admin/email-hooks/${encodeURIComponent(h.name)}`;

/** Text values of a stored hook; the credentials are never put in the page. */
export function emailHookValues(h: Hook): FormValues {
  const s = h.settings;
  return {
    name: h.name,
    kind: h.kind,
    events: h.events.join(', '),
    realms: h.realms.join(', '),
    recipients: s.recipients.join(', '),
    subject: s.subject ?? '',
    sender: s.sender,
    senderName: s.senderName,
    host: s.host ?? '',
    port: String(s.port),
    credentials: '',
    requireTls: String(s.requireTls),
    region: s.region ?? '',
  };
}

/** The list of email hooks. */
export function emailHookList(hooks: readonly Hook[]): SafeHtml {
  return html`<p class="lead">Mail sent to a fixed list of people (postmasters, the helpdesk) when something happens, e.g. a mailbox is created. <a class="button" href="/admin/email-hooks/new">Add an email hook</a></p>
${table(
  'Email hooks',
  [
    { label: 'Name', cell: (h: Hook) => html`<a href="${link(h)}">${h.name}</a>` },
    { label: 'Events', cell: (h: Hook) => h.events.join(', ') },
    { label: 'Recipients', cell: (h: Hook) => h.settings.recipients.join(', ') },
    { label: 'Sent through', cell: (h: Hook) => (h.kind === 'ses' ? `Amazon SES (${h.settings.region ?? 'us-west-2'})` : html`<code>${h.settings.host ?? ''}:${h.settings.port}</code>`) },
    {
      label: 'Actions',
      cell: (h: Hook) =>
        html`<div class="actions"><a href="${link(h)}" aria-label="Edit or see the mail of email hook ${h.name}">Edit / log</a>${actionButton(`${link(h)}/delete`, { id: `hook-${h.name}-delete`, label: 'Delete', ariaLabel: `Delete email hook ${h.name}`, className: 'danger', confirm: `Delete email hook "${h.name}"?` })}</div>`,
    },
  ],
  hooks,
  'No email hook yet: add one to tell your postmasters about new mailboxes.',
)}`;
}

/** Create or edit form of an email hook. */
export function emailHookForm(o: FormInput): SafeHtml {
  const v = (k: string): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The email hook', bad)}
${inputField({ name: 'name', label: 'Name', value: v('name'), required: true, readonly: o.editing, invalid: bad })}
${inputField({ name: 'events', label: 'Events', value: v('events'), required: true, invalid: bad, help: 'Comma-separated hook names, e.g. AccountCreated, DomainCreated.' })}
${inputField({ name: 'recipients', label: 'Recipients', value: v('recipients'), required: true, invalid: bad, help: 'Comma-separated addresses; one mail goes to all of them.' })}
${inputField({ name: 'subject', label: 'Subject', value: v('subject'), invalid: bad, help: 'Empty: the hook name.' })}
${inputField({ name: 'sender', label: 'Sender address', type: 'email', value: v('sender'), required: true, invalid: bad })}
${inputField({ name: 'senderName', label: 'Sender name', value: v('senderName'), invalid: bad })}
${selectField({ name: 'kind', label: 'Sent through', value: v('kind') || 'simple', values: [['simple', 'An SMTP server'], ['ses', 'Amazon SES']], invalid: bad })}
${inputField({ name: 'host', label: 'SMTP host', value: v('host'), invalid: bad, help: 'For an SMTP server.' })}
${inputField({ name: 'port', label: 'SMTP port', type: 'number', value: v('port') || '587', invalid: bad })}
${inputField({ name: 'credentials', label: 'Credentials', type: 'password', value: '', invalid: bad, autocomplete: 'new-password', help: o.editing ? 'user:password (SES: accessKeyId:secretAccessKey); leave empty to keep the stored ones (never shown).' : 'user:password (SES: accessKeyId:secretAccessKey).' })}
${checkField({ name: 'requireTls', label: 'Require STARTTLS', checked: v('requireTls') !== 'false', help: 'Turn off only for a local relay.' })}
${inputField({ name: 'region', label: 'SES region', value: v('region'), invalid: bad, help: 'For Amazon SES; default us-west-2.' })}
${inputField({ name: 'realms', label: 'Realms', value: v('realms'), invalid: bad, help: 'Comma-separated; empty = every realm.' })}
<div class="actions"><button type="submit" id="hook-save">Save email hook</button> <a href="/admin/email-hooks">Cancel</a></div>`,
  );
}

/** The hook's mail in the outbox, newest first. */
export function emailHookDetail(log: readonly EmailHookDelivery[]): SafeHtml {
  return deliveryLog('Delivery log', { label: 'Mail', cell: (d: EmailHookDelivery) => html`${d.subject} <span class="muted">to ${d.recipients.join(', ')}</span>` }, log, 'This hook has sent no mail yet.');
}
