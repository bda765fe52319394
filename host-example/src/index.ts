/**
 * @plugboard/host-example — a mail-hosting admin (Modoboa model) that raises the full
 * 56-hook catalogue, with an HTTP API, a CLI and persisted extension state.
 * This file is the package's whole public API.
 */
import 'reflect-metadata';

export { hostHooks, HOOK_NAMES, VETO_HOOKS, NAMED_KINDS } from './hooks';
export {
  menuEntrySchema,
  formDescriptorSchema,
  entryActionSchema,
  choiceSchema,
  fieldSpecSchema,
  extraFieldSchema,
  namedKindSchema,
  limitTemplateSchema,
  domainEntrySchema,
  importFunctionSchema,
  exportValueSchema,
} from './hooks';
export type {
  HostSpecs,
  HostHookName,
  MenuEntry,
  FormDescriptor,
  EntryAction,
  Choice,
  FieldSpec,
  ExtraField,
  NamedKind,
  NamedKindLabel,
  LimitTemplate,
  DomainEntry,
  ImportOptions,
  ImportFunction,
  ExportValue,
  UserMenuTarget,
  AdminMenuTarget,
} from './hooks';
export { BUILTIN_ROLES } from './model';
export type {
  BuiltinRole,
  User,
  Account,
  Domain,
  ModifiedDomain,
  DomainAlias,
  Mailbox,
  ModifiedMailbox,
  MailboxAlias,
  RelayDomain,
  ModifiedRelayDomain,
  RelayDomainAlias,
  RequestInfo,
  FormInstance,
} from './model';
export { HostBus, createHostBus, decide, refuse, vetoReason, DISPLAY_HOOKS } from './host-bus';
export type { HostLimits, Refusal, VetoHook } from './host-bus';
export { HostError, HOST_ERROR_STATUS } from './errors';
export type { HostErrorCode } from './errors';
export { Database } from './db';
export type { DatabaseOpenOptions } from './db';
export type { Migration } from './store/legacy-migrations';
export { HOST_MIGRATIONS } from './migrations';
export { HOST_SCHEMA, HOST_SCOPE } from './store/host-schema';
export type { HostTables } from './store/host-tables';
export { migrateHost } from './store/migrate-host';
export { Repository } from './repository';
export { AdminService, isAdmin, isSuperAdmin } from './admin-service';
export type { AccountView, FormsView, NewAccount, AccountChanges } from './admin-service';
export { Operations } from './operations/operations';
export type { OperationCall, OperationOutcome } from './operations/operations';
export type { Resources } from './common/resources';
export { ResourceService } from './common/resource-service';
export type { ServiceContext } from './common/resource-service';
export { SessionService } from './sessions/session-service';
export { DomainService } from './domains/domain-service';
export type { DomainInput } from './domains/domain-service';
export { DomainAliasService } from './domain-aliases/domain-alias-service';
export { AccountService } from './accounts/account-service';
export { LimitService } from './accounts/limit-service';
export { MailboxAliasService } from './mailbox-aliases/mailbox-alias-service';
export { RelayDomainService } from './relay-domains/relay-domain-service';
export { ContentService } from './content/content-service';
export { ParameterService } from './parameters/parameter-service';
export { ImportExportService } from './import-export/import-export-service';
export type { ImportTargets } from './import-export/import-export-service';
export { EXTENSIONS_TOPIC, SqlExtensionStore } from './extension-store';
export { followExtensionStates, type FollowExtensionStatesOptions } from './extension-state-sync';
export { ExternalDirectory } from './external-directory';
export type { ExternalUser } from './external-directory';
export { ExtensionRoutes, LOGGER } from './extension-routes';
export type { ExtensionRoute, RouteAccess, RouteContext } from './extension-routes';
export { hashPassword, verifyPassword, randomPassword } from './passwords';
export { parseCsv, formatCsv } from './csv';
export { buildApi } from './api';
export type { ApiDeps } from './api';
export { createHost } from './host';
export type { Host, HostOptions } from './host';
export { buildCli } from './cli';
export type { CliOptions } from './cli';
export { SAMPLE_EXTENSIONS, AuditLogExtension, LimitsExtension, PasswordPolicyExtension, RelayDomainsExtension } from './extensions';
export type { AuditEntry } from './extensions/audit-log';
export { LiveEvents } from './live-events';
export { LIVE_EVENTS_TOPIC, LiveEventsRelay, type LiveEventsRelayOptions } from './live-events-relay';
export type { LiveCall, LiveOutboxEvent, LiveEventMap } from './live-events';
export { openPlugins, pluginOptionsFromEnv } from './plugins';
export type { HostPlugins, HostPluginOptions, HostRedisOptions, HostRules, HostNotify } from './plugins';
export { PluginAdmin } from './plugin-service';
export type { OutboxView } from './plugin-service';
export { registerPluginRoutes } from './plugin-api';
export type { PluginRouteDeps } from './plugin-api';
export { HostPolicy } from './host-policy';
export { HostRecipientDirectory } from './recipient-directory';
export { hookEventParts, hookPayload, hookArgs, jsonSafe, eventUser, realmOf, actingScope, remoteEventScope, REDACTED } from './hook-events';
export type { ActingScope } from './hook-events';

export { registerAdmin } from './admin/register-admin';
export type { AdminHost } from './admin/admin-host';
export { HOST_ERRORS, HostErrors, isHostError } from './error-codes';
export { API_ERROR_STATUS, DEFAULT_ERROR_STATUS, apiStatus } from './error-status';
export type { ApiErrorCode } from './error-status';
