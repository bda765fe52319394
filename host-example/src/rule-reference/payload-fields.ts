import { isSecretName, type ExtensionInfo } from '@plugboard/core';
import type { Domain, DomainAlias, Mailbox, MailboxAlias, RelayDomain, RelayDomainAlias, RequestInfo, User } from '../model';

/** One field of an event's payload, by dotted path (`account.email`), as a `{tag}` reaches it. */
export interface PayloadField {
  readonly path: string;
  readonly description: string;
}

// `Record<keyof T, string>` makes the compiler demand a line for every field of the model type, so a
// field added to the model cannot be missing from the docs and the rule form.
const USER: Record<keyof User, string> = {
  id: 'Numeric id.',
  username: 'Login name; for mailbox owners the full e-mail address.',
  role: 'Role (SuperAdmins, Resellers, DomainAdmins, SimpleUsers or an extension role).',
  firstName: 'Given name.',
  lastName: 'Surname.',
  email: 'E-mail address.',
  mobile: 'Mobile number (E.164) for SMS; empty when unknown.',
  enabled: 'Whether the account may log in.',
  external: 'Created from the external directory on first login.',
  ownerId: 'Id of the administrator who created it (null for seeded and auto-created accounts).',
  passwordChangedAt: 'When the password was last changed (ISO time), or null.',
  createdAt: 'When it was created (ISO time).',
};
const DOMAIN: Record<keyof Domain, string> = {
  id: 'Numeric id.',
  type: '"domain".',
  name: 'The domain name.',
  quota: 'Default mailbox quota in MB (0 = unlimited).',
  enabled: 'Whether mail for it is accepted.',
  ownerId: 'Id of the owning administrator.',
  createdAt: 'When it was created (ISO time).',
};
const DOMAIN_ALIAS: Record<keyof DomainAlias, string> = {
  id: 'Numeric id.',
  name: 'The alias domain name.',
  targetId: 'Id of the domain it stands for.',
  targetName: 'Name of the domain it stands for.',
  enabled: 'Whether it is active.',
  ownerId: 'Id of the owning administrator.',
};
const MAILBOX: Record<keyof Mailbox, string> = {
  id: 'Numeric id.',
  userId: 'Id of the owning account.',
  address: 'Local part.',
  domainId: 'Id of its domain.',
  domainName: 'Name of its domain.',
  fullAddress: 'The full address (local@domain).',
  quota: 'Quota in MB (0 = unlimited).',
};
const MAILBOX_ALIAS: Record<keyof MailboxAlias, string> = {
  id: 'Numeric id.',
  address: 'The alias address.',
  domainId: 'Id of its domain.',
  recipients: 'The addresses it forwards to (a list).',
  enabled: 'Whether it is active.',
  ownerId: 'Id of the owning administrator.',
};
const RELAY_DOMAIN: Record<keyof RelayDomain, string> = {
  id: 'Numeric id.',
  type: '"relaydomain".',
  name: 'The relay domain name.',
  targetHost: 'Where its mail is relayed.',
  service: 'Service type (relay, relay-with-verify…).',
  enabled: 'Whether mail for it is accepted.',
  ownerId: 'Id of the owning administrator.',
  createdAt: 'When it was created (ISO time).',
};
const RELAY_DOMAIN_ALIAS: Record<keyof RelayDomainAlias, string> = DOMAIN_ALIAS;
const REQUEST: Record<keyof RequestInfo, string> = {
  ip: 'Client IP address.',
  userAgent: 'Client User-Agent header.',
  method: 'HTTP method.',
  url: 'Request URL.',
};
const EXTENSION: Record<keyof ExtensionInfo, string> = {
  name: 'Extension name.',
  version: 'Extension version.',
  requires: 'Extensions it requires (a list).',
  description: 'What it does.',
  state: 'enabled, disabled or failed.',
  error: 'Why it failed, when it did.',
  reason: 'Why it was disabled, when a reason was given.',
  hooks: 'Hooks it observes (a list).',
};

/** The model type each hook parameter name carries, by the catalogue's naming. */
const BY_PARAM: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  account: USER,
  user: USER,
  owner: USER,
  byuser: USER,
  oldaccount: USER,
  newaccount: USER,
  domain: DOMAIN,
  domain_alias: DOMAIN_ALIAS,
  mailbox: MAILBOX,
  mailbox_alias: MAILBOX_ALIAS,
  rdomain: RELAY_DOMAIN,
  rdomain_alias: RELAY_DOMAIN_ALIAS,
  request: REQUEST,
  extension: EXTENSION,
};

/** Fields a hook adds to its model type (`ModifiedDomain` is a `Domain` with `oldname`). */
const EXTRA: Readonly<Record<string, readonly PayloadField[]>> = {
  DomainModified: [{ path: 'domain.oldname', description: 'The name before the change.' }],
  RelayDomainModified: [{ path: 'rdomain.oldname', description: 'The name before the change.' }],
  MailboxModified: [{ path: 'mailbox.old_full_address', description: 'The address before the change.' }],
};

/**
 * The payload fields of a hook event: each parameter, and for a model object each of its fields
 * by dotted path; a parameter of no model type (a role name, a CSV row) is one field.
 *
 * @example
 * ```ts
 * payloadFields('AccountCreated', ['account']).map((f) => f.path); // ['account', 'account.id', 'account.username', …]
 * ```
 */
export function payloadFields(hook: string, params: readonly string[]): PayloadField[] {
  const out: PayloadField[] = [];
  for (const param of params) {
    const model = BY_PARAM[param];
    const description = isSecretName(param) ? 'A secret: always "***" for rules and logs.' : model === undefined ? 'A value of the event (see its description).' : 'The whole object (as JSON in a tag).';
    out.push({ path: param, description });
    if (model !== undefined) for (const [field, description] of Object.entries(model)) out.push({ path: `${param}.${field}`, description });
  }
  for (const extra of EXTRA[hook] ?? []) if (params.includes(extra.path.split('.')[0] ?? '')) out.push(extra);
  return out;
}
