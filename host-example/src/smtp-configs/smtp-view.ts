import type { SmtpConfig, Stored } from '@plugboard/notify';
import { answerBox, checkField, inputField, postForm, refusedBox, selectField } from '../admin/config-form';
import type { FormInput, FormValues } from '../admin/config-resource';
import { html, type SafeHtml } from '../admin/html';
import { actionButton, table } from '../admin/widgets';


/** The fields of the SMTP form, in order (also how a refusal's message is matched to them). */
export const SMTP_FIELDS = ['name', 'description', 'host', 'port', 'security', 'sender', 'senderName', 'username', 'password', 'rejectUnauthorized'] as const;

const SECURITY: readonly (readonly [string, string])[] = [
  ['starttls', 'STARTTLS required (port 587)'],
  ['tls', 'TLS from the start (port 465)'],
  ['opportunistic', 'STARTTLS when offered'],
  ['none', 'None (local relay only)'],
];

/** Text values of a stored configuration; the password is never put in the page. */
export function smtpValues(c: Stored<SmtpConfig>): FormValues {
  return { name: c.name, description: c.description, host: c.host, port: String(c.port), security: c.security, sender: c.sender, senderName: c.senderName, username: c.username, password: '', rejectUnauthorized: String(c.rejectUnauthorized) };
}

/** The list of mail servers, each with its delete button. */
export function smtpList(configs: readonly Stored<SmtpConfig>[]): SafeHtml {
  return html`<p class="lead">Mail servers that rules send notification mail through (a rule's “emailconfig”). <a class="button" href="/admin/smtp/new">Add a mail server</a></p>
${table(
  'Mail servers',
  [
    { label: 'Name', cell: (c: Stored<SmtpConfig>) => html`<a href="/admin/smtp/${encodeURIComponent(c.name)}">${c.name}</a>` },
    { label: 'Server', cell: (c: Stored<SmtpConfig>) => html`<code>${c.host}:${c.port}</code> (${c.security})` },
    { label: 'Sender', cell: (c: Stored<SmtpConfig>) => (c.senderName !== '' ? `${c.senderName} <${c.sender}>` : c.sender) },
    { label: 'Login', cell: (c: Stored<SmtpConfig>) => (c.username === '' ? '—' : `${c.username} / ${c.password === '' ? '(no password)' : '***'}`) },
    {
      label: 'Actions',
      cell: (c: Stored<SmtpConfig>) =>
        html`<div class="actions"><a href="/admin/smtp/${encodeURIComponent(c.name)}" aria-label="Edit or test mail server ${c.name}">Edit / send a test</a>${actionButton(`/admin/smtp/${encodeURIComponent(c.name)}/delete`, { id: `smtp-${c.name}-delete`, label: 'Delete', ariaLabel: `Delete mail server ${c.name}`, className: 'danger', confirm: `Delete mail server "${c.name}"?` })}</div>`,
    },
  ],
  configs,
  'No mail server yet: add one, then rules can send mail through it.',
)}`;
}

/** Create or edit form; on edit the name is fixed and an empty password keeps the stored one. */
export function smtpForm(o: FormInput): SafeHtml {
  const v = (k: string): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The mail server', bad)}
${inputField({ name: 'name', label: 'Name', value: v('name'), required: true, readonly: o.editing, invalid: bad, help: 'Rules name the server by it; letters, digits, “_”, “.” and “-”.' })}
${inputField({ name: 'description', label: 'Description', value: v('description'), invalid: bad })}
${inputField({ name: 'host', label: 'SMTP host', value: v('host'), required: true, invalid: bad, help: 'e.g. smtp.example.com' })}
${inputField({ name: 'port', label: 'Port', type: 'number', value: v('port') || '587', invalid: bad })}
${selectField({ name: 'security', label: 'Connection security', value: v('security') || 'starttls', values: SECURITY, invalid: bad })}
${inputField({ name: 'sender', label: 'Sender address', type: 'email', value: v('sender'), required: true, invalid: bad, help: 'The From address of every notification, e.g. noreply@example.com.' })}
${inputField({ name: 'senderName', label: 'Sender name', value: v('senderName'), invalid: bad })}
${inputField({ name: 'username', label: 'SMTP login', value: v('username'), invalid: bad })}
${inputField({ name: 'password', label: 'SMTP password', type: 'password', value: '', invalid: bad, autocomplete: 'new-password', help: o.editing ? 'Leave empty to keep the stored password (never shown).' : 'Stored encrypted, never shown again.' })}
${checkField({ name: 'rejectUnauthorized', label: 'Verify the server certificate', checked: v('rejectUnauthorized') !== 'false', help: 'Turn off only for a self-signed test server.' })}
<div class="actions"><button type="submit" id="smtp-save">Save mail server</button> <a href="/admin/smtp">Cancel</a></div>`,
  );
}

/** The "send a test" form of one mail server, with what the server answered. */
export function smtpTestForm(name: string, to: string, answer?: { readonly ok: boolean; readonly text: string }): SafeHtml {
  return html`<section aria-labelledby="smtp-test-h"><h2 id="smtp-test-h">Send a test mail</h2>
${postForm(
  `/admin/smtp/${encodeURIComponent(name)}/test`,
  html`${inputField({ name: 'to', label: 'Recipient address', type: 'email', value: to, required: true, help: 'A mailbox you can check; the mail is sent now, not queued.' })}
<div class="actions"><button type="submit" id="smtp-test">Send a test</button></div>`,
)}${answerBox(answer)}</section>`;
}
