import { checkField, inputField, postForm, refusedBox, selectField, type Refusal } from '../admin/config-form';
import { html, type SafeHtml } from '../admin/html';
import { listUrl, pager, searchBox, type ListPosition } from '../admin/paged-list';
import { actionButton, badge, table } from '../admin/widgets';
import type { Choice } from '../hooks';
import type { AccountView } from './account-types';

/** The fields of the account form, in order (a refusal naming one marks it). */
export const ACCOUNT_FIELDS = ['username', 'password', 'firstName', 'lastName', 'email', 'mobile', 'role', 'enabled'] as const;

/** An account form's values as text: what the administrator typed, re-shown after a refusal. */
export type AccountValues = Readonly<Partial<Record<(typeof ACCOUNT_FIELDS)[number], string>>>;

const BASE = '/admin/accounts';

function accountActions({ account: a }: AccountView, at: ListPosition): SafeHtml {
  const link = `${BASE}/${a.id}`;
  // The list's position rides along, so the page comes back where the click was.
  const from = listUrl('', at);
  const toggle = a.enabled ? 'Disable' : 'Enable';
  return html`<div class="actions"><a href="${link}" aria-label="Edit account ${a.username}">Edit</a>${actionButton(`${link}/toggle${from}`, {
    id: `account-${a.id}-toggle`,
    label: toggle,
    ariaLabel: `${toggle} account ${a.username}`,
    className: 'secondary',
  })}${actionButton(`${link}/delete${from}`, {
    id: `account-${a.id}-delete`,
    label: 'Delete',
    ariaLabel: `Delete account ${a.username}`,
    className: 'danger',
    confirm: `Delete account "${a.username}" and its mailbox? This cannot be undone.`,
  })}</div>`;
}

/** The accounts list: search box, one page of accounts (mailbox, role, state, actions) and the pager. */
export function accountList(accounts: readonly AccountView[], at: ListPosition, nextCursor: string | undefined, roles: readonly Choice[] = []): SafeHtml {
  const roleLabel = (role: string): string => roles.find(([value]) => value === role)?.[1] ?? role;
  return html`<p class="lead">Accounts log in to the webmail and the admin page; those named like an address own that mailbox. <a class="button" href="${BASE}/new">Add an account</a></p>
${searchBox(BASE, at.q, 'Search accounts', 'username, e-mail or name')}
${table(
  at.q === '' ? 'Accounts' : `Accounts matching "${at.q}"`,
  [
    { label: 'Username', cell: ({ account: a }: AccountView) => html`<a href="${BASE}/${a.id}">${a.username}</a>` },
    { label: 'Name', cell: ({ account: a }: AccountView) => `${a.firstName} ${a.lastName}`.trim() || '—' },
    { label: 'Mailbox', cell: ({ mailbox: m }: AccountView) => (m === null ? 'none' : `${m.fullAddress}${m.quota > 0 ? ` (${m.quota} MB)` : ''}`) },
    { label: 'Role', cell: ({ account: a }: AccountView) => roleLabel(a.role) },
    { label: 'State', cell: ({ account: a }: AccountView) => (a.enabled ? badge('enabled', 'enabled') : badge('disabled', 'disabled')) },
    { label: 'Actions', cell: (v: AccountView) => accountActions(v, at) },
  ],
  accounts,
  at.q === '' ? 'No account yet.' : `No account's username, e-mail or name contains "${at.q}".`,
)}
${pager(BASE, at, nextCursor, 'accounts')}`;
}

/** What the account form shows: where it posts, the values, the roles the administrator may give. */
export interface AccountFormInput {
  readonly action: string;
  readonly values: AccountValues;
  readonly editing: boolean;
  readonly roles: readonly Choice[];
  readonly refused?: Refusal;
}

/** The create or edit form of an account; on edit the password is reset by its own form below. */
export function accountForm(o: AccountFormInput): SafeHtml {
  const v = (k: keyof AccountValues): string => o.values[k] ?? '';
  const bad = o.refused;
  return postForm(
    o.action,
    html`${refusedBox('The account', bad)}
${inputField({ name: 'username', label: 'Username', value: v('username'), required: true, invalid: bad, help: 'A mailbox address (ann@example.com) gives the account that mailbox; administrators may use a plain name.' })}
${o.editing ? '' : inputField({ name: 'password', label: 'Password', type: 'password', value: '', required: true, invalid: bad, autocomplete: 'new-password', help: 'At least 8 characters.' })}
${inputField({ name: 'firstName', label: 'First name', value: v('firstName'), invalid: bad })}
${inputField({ name: 'lastName', label: 'Last name', value: v('lastName'), invalid: bad })}
${inputField({ name: 'email', label: 'Contact e-mail', type: 'email', value: v('email'), invalid: bad, help: 'Where notifications go; empty: the mailbox address.' })}
${inputField({ name: 'mobile', label: 'Mobile number', type: 'tel', value: v('mobile'), invalid: bad, help: 'International format, e.g. +49 170 1234567; used for SMS notifications.' })}
${selectField({ name: 'role', label: 'Role', value: v('role') || 'SimpleUsers', values: o.roles, invalid: bad })}
${checkField({ name: 'enabled', label: 'Account enabled (may log in and receive mail)', checked: v('enabled') !== 'false' })}
<div class="actions"><button type="submit" id="account-save">Save account</button> <a href="${BASE}">Cancel</a></div>`,
  );
}

/** The password reset form of an account. */
export function passwordForm(id: number, refused?: Refusal): SafeHtml {
  return html`<section aria-labelledby="password-h"><h2 id="password-h">Reset the password</h2>
${postForm(
  `${BASE}/${id}/password`,
  html`${refusedBox('The password', refused)}${inputField({ name: 'newPassword', label: 'New password', type: 'password', value: '', required: true, invalid: refused, autocomplete: 'new-password', help: 'At least 8 characters; tell the owner through another channel.' })}
<div class="actions"><button type="submit" id="password-save">Reset password</button></div>`,
)}</section>`;
}
