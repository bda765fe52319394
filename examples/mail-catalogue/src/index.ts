/**
 * @plugboard/mail-catalogue — the hook catalogue of the Plugboard mail-hosting host (the 56 hooks
 * of Modoboa's extension events) and the data types its hooks carry. Extension packages for that
 * host depend on it for types and hook references; its name and version are the catalogue's
 * identity that their manifests name.
 */
export { menuEntrySchema, formDescriptorSchema, entryActionSchema, choiceSchema, fieldSpecSchema, extraFieldSchema, NAMED_KINDS, namedKindSchema, limitTemplateSchema, domainEntrySchema, importFunctionSchema, exportValueSchema, hostHooks, HOOK_NAMES, VETO_HOOKS } from './hooks';
export type { MenuEntry, FormDescriptor, EntryAction, Choice, FieldSpec, ExtraField, NamedKind, NamedKindLabel, LimitTemplate, DomainEntry, ImportOptions, ImportFunction, ExportValue, UserMenuTarget, AdminMenuTarget, HostSpecs, HostHookName } from './hooks';
export { BUILTIN_ROLES } from './model';
export type { BuiltinRole, User, Account, Domain, ModifiedDomain, DomainAlias, Mailbox, ModifiedMailbox, MailboxAlias, RelayDomain, ModifiedRelayDomain, RelayDomainAlias, RequestInfo, FormInstance } from './model';
export { MAIL_CATALOGUE } from './catalogue-info';
