/** The host's data model, from `@plugboard/mail-catalogue` (the catalogue's hooks carry these types). */
export { BUILTIN_ROLES } from '@plugboard/mail-catalogue';
export type { BuiltinRole, User, Account, Domain, ModifiedDomain, DomainAlias, Mailbox, ModifiedMailbox, MailboxAlias, RelayDomain, ModifiedRelayDomain, RelayDomainAlias, RequestInfo, FormInstance } from '@plugboard/mail-catalogue';
