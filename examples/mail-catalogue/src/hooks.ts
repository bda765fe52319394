import { collectAsync, defineHooks, mergeAsync, notifyAsync, type ExtensionInfo, type SpecsOfCatalogue } from '@plugboard/core';
import { z } from 'zod';
import type {
  Account,
  Domain,
  DomainAlias,
  FormInstance,
  Mailbox,
  MailboxAlias,
  ModifiedDomain,
  ModifiedMailbox,
  ModifiedRelayDomain,
  RelayDomain,
  RelayDomainAlias,
  RequestInfo,
  User,
} from './model';

// ── result element types and their schemas ───────────────────────────────────

/** A menu entry (`UserMenuDisplay`, `AdminMenuDisplay`, `ExtraDomainMenuEntries`). */
export interface MenuEntry {
  readonly name: string;
  readonly label: string;
  readonly url: string;
}
export const menuEntrySchema = z.object({ name: z.string().regex(/^\S+$/, 'a name without spaces'), label: z.string(), url: z.string() });

/** A tab of an edition form (`ExtraAccountForm`, `ExtraDomainForm`, `ExtraRelayDomainForm`); `cls` names the form. */
export interface FormDescriptor {
  readonly id: string;
  readonly title: string;
  readonly cls: string;
}
export const formDescriptorSchema = z.object({ id: z.string().min(1), title: z.string(), cls: z.string().min(1) });

/** An action on a listing entry (`GetDomainActions`, `ExtraAccountActions`). */
export interface EntryAction {
  readonly name: string;
  readonly url: string;
  readonly title: string;
  readonly img: string;
}
export const entryActionSchema = z.object({ name: z.string().min(1), url: z.string(), title: z.string(), img: z.string() });

/** A `[value, label]` pair (`GetExtraRoles`). */
export type Choice = readonly [value: string, label: string];
export const choiceSchema = z.tuple([z.string().min(1), z.string()]);

/**
 * A form field as plain data (what a Django form field becomes here).
 * `choices` applies to `type: 'choice'`.
 */
export interface FieldSpec {
  readonly type: 'string' | 'text' | 'number' | 'boolean' | 'choice';
  readonly label: string;
  readonly required?: boolean;
  readonly choices?: readonly Choice[];
  readonly default?: string | number | boolean;
  readonly help?: string;
}
export const fieldSpecSchema = z.object({
  type: z.enum(['string', 'text', 'number', 'boolean', 'choice']),
  label: z.string(),
  required: z.boolean().optional(),
  choices: z.array(choiceSchema).optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  help: z.string().optional(),
});

/** `('field name', <form field>)` of `ExtraFormFields`. */
export type ExtraField = readonly [name: string, field: FieldSpec];
export const extraFieldSchema = z.tuple([z.string().regex(/^[A-Za-z_][\w]*$/, 'a field name'), fieldSpecSchema]);

/** Kinds of object whose names `CheckDomainName` can add to the domain-name uniqueness rule. */
export const NAMED_KINDS = ['domain', 'domainalias', 'relaydomain', 'relaydomainalias'] as const;
/** One of {@link NAMED_KINDS}. */
export type NamedKind = (typeof NAMED_KINDS)[number];
/** `(model class, label)` of `CheckDomainName`, with the model class given as its kind. */
export type NamedKindLabel = readonly [kind: NamedKind, label: string];
export const namedKindSchema = z.tuple([z.enum(NAMED_KINDS), z.string()]);

/** `('<limit_name>', '<limit label>', '<limit help text>')` of `GetExtraLimitTemplates`. */
export type LimitTemplate = readonly [name: string, label: string, help: string];
export const limitTemplateSchema = z.tuple([z.string().regex(/^[a-z][a-z0-9_]*$/, 'a limit name'), z.string(), z.string()]);

/** An entry of the domains listing (the QuerySet `ExtraDomainEntries` returns): at least a name and a type. */
export interface DomainEntry {
  readonly name: string;
  readonly type: string;
  readonly [key: string]: unknown;
}
export const domainEntrySchema = z.looseObject({ name: z.string().min(1), type: z.string().min(1) });

/** Options of a CSV import (`formopts`). */
export interface ImportOptions {
  /** Skip rows whose object already exists instead of failing. */
  readonly continueIfExists?: boolean;
  readonly [key: string]: unknown;
}

/**
 * An import function returned by `ImportObject`: creates the object a CSV record describes.
 * `row` is the record's fields (the object type first, as in the CSV line).
 */
export type ImportFunction = (user: User, row: readonly string[], formopts: ImportOptions) => Promise<void>;
export const importFunctionSchema = z.custom<ImportFunction>((v) => typeof v === 'function', 'an import function (user, row, formopts) => Promise<void>');

/** A cell `AccountExported` adds to an exported CSV record. */
export type ExportValue = string | number | boolean;
export const exportValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** Targets of the menus. */
export type UserMenuTarget = 'options_menu' | 'uprefs_menu' | 'top_menu';
export type AdminMenuTarget = 'admin_menu_box' | 'top_menu';

const strings = { result: z.string() };
const vote = { result: z.boolean() };

/**
 * The host's hook catalogue: the 56 events of Modoboa (seed 004), with the seed's names,
 * arguments in the seed's order, and result kinds as the seed says. All are async
 * (server code awaits them). Notify hooks isolate failing listeners; collect and merge
 * hooks propagate the first failure (Modoboa's behaviour).
 *
 * @example
 * ```ts
 * const bus = new HookBus(hostHooks);
 * bus.on('AccountCreated', async (account) => console.log(account.username), { extension: 'demo' });
 * ```
 */
export const hostHooks = defineHooks({
  AccountAutoCreated: notifyAsync<[account: Account]>({ params: ['account'], description: 'A new account was created automatically (external directory login).' }),
  AccountCreated: notifyAsync<[account: Account]>({ params: ['account'], description: 'A new account was created.' }),
  AccountDeleted: notifyAsync<[account: Account, byuser: User, options: Readonly<Record<string, unknown>>]>({ params: ['account', 'byuser', 'options'],
    description: 'An account is about to be deleted by byuser.',
  }),
  AccountExported: collectAsync<[account: Account], ExportValue>({ params: ['account'], result: exportValueSchema, description: 'Values to append to the account CSV record.' }),
  AccountImported: notifyAsync<[user: User, account: Account, row: readonly string[]]>({ params: ['user', 'account', 'row'], description: 'An account was imported from CSV; row is what remains of its record.' }),
  AccountModified: notifyAsync<[oldaccount: Account, newaccount: Account]>({ params: ['oldaccount', 'newaccount'], description: 'An account was modified.' }),
  AdminMenuDisplay: collectAsync<[target: AdminMenuTarget, user: User], MenuEntry>({ params: ['target', 'user'], result: menuEntrySchema, description: 'Entries of an admin menu.' }),
  CanCreate: collectAsync<[user: User], boolean>({ params: ['user'], ...vote, description: 'Whether user may create a new domain; any false refuses.' }),
  CheckDomainName: collectAsync<[], NamedKindLabel>({ result: namedKindSchema, description: 'Extra kinds of object whose names a domain name must not clash with.' }),
  CheckExtraAccountForm: collectAsync<[account: Account, form: FormDescriptor], boolean>({ params: ['account', 'form'], ...vote, description: 'Whether an extra account form applies to account; false refuses.' }),
  DomainAliasCreated: notifyAsync<[user: User, domain_alias: DomainAlias]>({ params: ['user', 'domain_alias'], description: 'A domain alias was created; user is its owner.' }),
  DomainAliasDeleted: notifyAsync<[domain_alias: DomainAlias]>({ params: ['domain_alias'], description: 'A domain alias is about to be deleted.' }),
  DomainCreated: notifyAsync<[user: User, domain: Domain]>({ params: ['user', 'domain'], description: 'A domain was created; user is its owner.' }),
  DomainDeleted: notifyAsync<[domain: Domain]>({ params: ['domain'], description: 'A domain is about to be deleted.' }),
  DomainModified: notifyAsync<[domain: ModifiedDomain]>({ params: ['domain'], description: 'A domain was modified; domain.oldname holds the old name.' }),
  DomainOwnershipRemoved: notifyAsync<[owner: User, domain: Domain]>({ params: ['owner', 'domain'], description: 'The ownership of a domain is about to be removed from owner.' }),
  ExtDisabled: notifyAsync<[extension: ExtensionInfo]>({ params: ['extension'], description: 'An extension was disabled.' }),
  ExtEnabled: notifyAsync<[extension: ExtensionInfo]>({ params: ['extension'], description: 'An extension was enabled.' }),
  ExtraAccountActions: collectAsync<[account: Account], EntryAction>({ params: ['account'], result: entryActionSchema, description: 'Actions on an account of the accounts listing.' }),
  ExtraAccountForm: collectAsync<[user: User, account: Account], FormDescriptor>({ params: ['user', 'account'], result: formDescriptorSchema, description: 'Extra tabs of the account edition form.' }),
  ExtraAdminContent: collectAsync<[user: User, target: 'leftcol', currentpage: 'domains' | 'identities'], string>({ params: ['user', 'target', 'currentpage'], ...strings, description: 'Extra content of the admin panel.' }),
  ExtraDomainEntries: collectAsync<[user: User, domfilter: string, searchquery: string, extrafilters: Readonly<Record<string, string>>], DomainEntry>({ params: ['user', 'domfilter', 'searchquery', 'extrafilters'],
    result: domainEntrySchema,
    description: 'Extra entries of the domains listing.',
  }),
  ExtraDomainFilters: collectAsync<[], string>({ result: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a filter name'), description: 'Extra filter names of the domains listing.' }),
  ExtraDomainForm: collectAsync<[user: User, domain: Domain], FormDescriptor>({ params: ['user', 'domain'], result: formDescriptorSchema, description: 'Extra tabs of the domain edition form.' }),
  ExtraDomainImportHelp: collectAsync<[], string>({ ...strings, description: 'Extra help of the domain import form.' }),
  ExtraDomainMenuEntries: collectAsync<[user: User], MenuEntry>({ params: ['user'], result: menuEntrySchema, description: 'Extra entries of the domains listing left menu.' }),
  ExtraFormFields: collectAsync<[form_name: string, instance: FormInstance | null], ExtraField>({ params: ['form_name', 'instance'], result: extraFieldSchema, description: 'Extra fields of a form.' }),
  ExtraRelayDomainForm: collectAsync<[user: User, rdomain: RelayDomain], FormDescriptor>({ params: ['user', 'rdomain'], result: formDescriptorSchema, description: 'Extra tabs of the relay domain edition form.' }),
  FillAccountInstances: notifyAsync<[user: User, account: Account, instances: Record<string, unknown>]>({ params: ['user', 'account', 'instances'], description: 'Fill the data of the extra account forms.' }),
  FillDomainInstances: notifyAsync<[user: User, domain: Domain, instances: Record<string, unknown>]>({ params: ['user', 'domain', 'instances'], description: 'Fill the data of the extra domain forms.' }),
  FillRelayDomainInstances: notifyAsync<[user: User, rdomain: RelayDomain, instances: Record<string, unknown>]>({ params: ['user', 'rdomain', 'instances'], description: 'Fill the data of the extra relay domain forms.' }),
  GetAnnouncement: collectAsync<[target: 'loginpage'], string>({ params: ['target'], ...strings, description: 'Announcements shown at target.' }),
  GetDomainActions: collectAsync<[user: User, rdomain: DomainEntry], EntryAction>({ params: ['user', 'rdomain'], result: entryActionSchema, description: 'Actions of a domains listing entry.' }),
  GetExtraLimitTemplates: collectAsync<[], LimitTemplate>({ result: limitTemplateSchema, description: 'Extra per-administrator limit templates.' }),
  GetExtraParameters: mergeAsync<[application: string, level: 'A' | 'U'], Record<string, FieldSpec>>({ params: ['application', 'level'],
    result: z.record(z.string().regex(/^[A-Za-z_][\w]*$/), fieldSpecSchema),
    description: 'Extra parameters of an application parameters form.',
  }),
  GetExtraRoles: collectAsync<[user: User], Choice>({ params: ['user'], result: choiceSchema, description: 'Extra administrative roles as (value, label).' }),
  GetStaticContent: collectAsync<[caller: string, user: User], string>({ params: ['caller', 'user'], ...strings, description: 'Static content (CSS/JS) for a page.' }),
  ImportObject: collectAsync<[objtype: string], ImportFunction>({ params: ['objtype'], result: importFunctionSchema, description: 'Functions importing an object type from CSV.' }),
  MailboxAliasCreated: notifyAsync<[user: User, mailbox_alias: MailboxAlias]>({ params: ['user', 'mailbox_alias'], description: 'A mailbox alias was created; user is its owner.' }),
  MailboxAliasDeleted: notifyAsync<[mailbox_alias: MailboxAlias]>({ params: ['mailbox_alias'], description: 'A mailbox alias is about to be deleted.' }),
  MailboxCreated: notifyAsync<[user: User, mailbox: Mailbox]>({ params: ['user', 'mailbox'], description: "A mailbox was created; user is the mailbox's owner." }),
  MailboxDeleted: notifyAsync<[mailbox: Mailbox]>({ params: ['mailbox'], description: 'A mailbox is about to be deleted.' }),
  MailboxModified: notifyAsync<[mailbox: ModifiedMailbox]>({ params: ['mailbox'], description: 'A mailbox was modified; mailbox.old_full_address holds the old address.' }),
  PasswordChange: collectAsync<[user: User], boolean>({ params: ['user'], ...vote, description: "Before a password change; any true cancels it." }),
  TopNotifications: collectAsync<[user: User], string>({ params: ['user'], ...strings, description: 'Custom content of the top bar.' }),
  UserLogin: notifyAsync<[request: RequestInfo, username: string, password: string]>({ params: ['request', 'username', 'password'], description: 'A user logged in.' }),
  UserLogout: notifyAsync<[request: RequestInfo]>({ params: ['request'], description: 'A user logged out.' }),
  UserMenuDisplay: collectAsync<[target: UserMenuTarget, user: User], MenuEntry>({ params: ['target', 'user'], result: menuEntrySchema, description: 'Entries of a user menu.' }),
  RelayDomainAliasCreated: notifyAsync<[user: User, rdomain_alias: RelayDomainAlias]>({ params: ['user', 'rdomain_alias'], description: 'A relay domain alias was created; user is its owner.' }),
  RelayDomainAliasDeleted: notifyAsync<[rdomain_alias: RelayDomainAlias]>({ params: ['rdomain_alias'], description: 'A relay domain alias is about to be deleted.' }),
  RelayDomainCreated: notifyAsync<[user: User, rdomain: RelayDomain]>({ params: ['user', 'rdomain'], description: 'A relay domain was created; user is its owner.' }),
  RelayDomainDeleted: notifyAsync<[rdomain: RelayDomain]>({ params: ['rdomain'], description: 'A relay domain is about to be deleted.' }),
  RelayDomainModified: notifyAsync<[rdomain: ModifiedRelayDomain]>({ params: ['rdomain'], description: 'A relay domain was modified; rdomain.oldname holds the old name.' }),
  RoleChanged: notifyAsync<[account: Account, role: string]>({ params: ['account', 'role'], description: 'The role of account is about to change to role.' }),
  SaveExtraFormFields: notifyAsync<[form_name: string, instance: FormInstance, values: Readonly<Record<string, unknown>>]>({ params: ['form_name', 'instance', 'values'],
    description: 'Save the extra fields declared with ExtraFormFields.',
  }),
  /** The seed's prototype names the first argument `account`, but documents it as the logged-in user: that is what is passed. */
  UserCanSetRole: collectAsync<[user: User, role: string], boolean>({ params: ['user', 'role'], ...vote, description: 'Whether the logged-in user may set role; any false refuses.' }),
});

/** The catalogue's specs record (for `HookBus<HostSpecs>`, `Listener<HostSpecs['X']>`...). */
export type HostSpecs = SpecsOfCatalogue<typeof hostHooks>;
/** A hook name of the host catalogue. */
export type HostHookName = keyof HostSpecs & string;

/** Every hook name, in declaration (seed) order. */
export const HOOK_NAMES = Object.keys(hostHooks) as HostHookName[];

/** Hooks whose boolean results can refuse an operation, and which value refuses. */
export const VETO_HOOKS = {
  CanCreate: false,
  CheckExtraAccountForm: false,
  PasswordChange: true,
  UserCanSetRole: false,
} as const satisfies Partial<Record<HostHookName, boolean>>;
