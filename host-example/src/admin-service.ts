import type { Logger } from 'pino';
import type { AccountService } from './accounts/account-service';
import type { LimitService } from './accounts/limit-service';
import type { ContentService } from './content/content-service';
import type { DomainAliasService } from './domain-aliases/domain-alias-service';
import type { DomainService } from './domains/domain-service';
import type { ImportExportService } from './import-export/import-export-service';
import type { MailboxAliasService } from './mailbox-aliases/mailbox-alias-service';
import type { ParameterService } from './parameters/parameter-service';
import type { RelayDomainService } from './relay-domains/relay-domain-service';
import type { SessionService } from './sessions/session-service';
import type { AccessPolicy } from './authorization';
import { createResources, type Resources } from './common/resources';
import type { ExternalDirectory } from './external-directory';
import type { HostBus } from './host-bus';
import type { LoginThrottle } from './login-throttle';
import type { Repository } from './repository';

export { isAdmin, isSuperAdmin } from './common/roles';
export type { FormsView } from './common/resource-service';
export type { AccountChanges, AccountView, NewAccount } from './accounts/account-types';

/**
 * The service layer of the mail-hosting admin as one object: each method is the one of its resource's
 * service (`domains/domain-service.ts`, `accounts/account-service.ts` …), kept here so code written against
 * one `AdminService` keeps working. New code takes the resource's service from {@link AdminService.resources}.
 * The entry points (API routes, CLI commands, admin pages) run these through the operation layer
 * (`operations/`), which dispatches the rules' pre and post events.
 *
 * @example
 * ```ts
 * const domain = await service.createDomain(admin, { name: 'example.com' });
 * await service.createAccount(admin, { username: 'ann@example.com', password: 'correct horse' });
 * ```
 */
export class AdminService {
  /** The service of each resource. */
  readonly resources: Resources;

  constructor(
    readonly repo: Repository,
    readonly bus: HostBus,
    log: Logger,
    directory: ExternalDirectory,
    throttle?: LoginThrottle,
  ) {
    this.resources = createResources(repo, bus, log, directory, throttle);
  }

  /** The one authorization rule every operation goes through. */
  get policy(): AccessPolicy {
    return this.resources.policy;
  }

  login(...a: Parameters<SessionService['login']>): ReturnType<SessionService['login']> {
    return this.resources.sessions.login(...a);
  }
  authenticate(...a: Parameters<SessionService['authenticate']>): ReturnType<SessionService['authenticate']> {
    return this.resources.sessions.authenticate(...a);
  }
  logout(...a: Parameters<SessionService['logout']>): ReturnType<SessionService['logout']> {
    return this.resources.sessions.logout(...a);
  }
  seedAdmin(...a: Parameters<SessionService['seedAdmin']>): ReturnType<SessionService['seedAdmin']> {
    return this.resources.sessions.seedAdmin(...a);
  }

  changePassword(...a: Parameters<AccountService['changePassword']>): ReturnType<AccountService['changePassword']> {
    return this.resources.accounts.changePassword(...a);
  }
  requireAccount(...a: Parameters<AccountService['requireAccount']>): ReturnType<AccountService['requireAccount']> {
    return this.resources.accounts.requireAccount(...a);
  }
  listAccounts(...a: Parameters<AccountService['listAccounts']>): ReturnType<AccountService['listAccounts']> {
    return this.resources.accounts.listAccounts(...a);
  }
  roles(...a: Parameters<AccountService['roles']>): ReturnType<AccountService['roles']> {
    return this.resources.accounts.roles(...a);
  }
  createAccount(...a: Parameters<AccountService['createAccount']>): ReturnType<AccountService['createAccount']> {
    return this.resources.accounts.createAccount(...a);
  }
  updateAccount(...a: Parameters<AccountService['updateAccount']>): ReturnType<AccountService['updateAccount']> {
    return this.resources.accounts.updateAccount(...a);
  }
  deleteAccount(...a: Parameters<AccountService['deleteAccount']>): ReturnType<AccountService['deleteAccount']> {
    return this.resources.accounts.deleteAccount(...a);
  }
  accountForms(...a: Parameters<AccountService['accountForms']>): ReturnType<AccountService['accountForms']> {
    return this.resources.accounts.accountForms(...a);
  }

  requireDomain(...a: Parameters<DomainService['requireDomain']>): ReturnType<DomainService['requireDomain']> {
    return this.resources.domains.requireDomain(...a);
  }
  listDomains(...a: Parameters<DomainService['listDomains']>): ReturnType<DomainService['listDomains']> {
    return this.resources.domains.listDomains(...a);
  }
  domainMenu(...a: Parameters<DomainService['domainMenu']>): ReturnType<DomainService['domainMenu']> {
    return this.resources.domains.domainMenu(...a);
  }
  checkDomainName(...a: Parameters<DomainService['checkDomainName']>): ReturnType<DomainService['checkDomainName']> {
    return this.resources.domains.checkDomainName(...a);
  }
  createDomain(...a: Parameters<DomainService['createDomain']>): ReturnType<DomainService['createDomain']> {
    return this.resources.domains.createDomain(...a);
  }
  updateDomain(...a: Parameters<DomainService['updateDomain']>): ReturnType<DomainService['updateDomain']> {
    return this.resources.domains.updateDomain(...a);
  }
  transferDomain(...a: Parameters<DomainService['transferDomain']>): ReturnType<DomainService['transferDomain']> {
    return this.resources.domains.transferDomain(...a);
  }
  deleteDomain(...a: Parameters<DomainService['deleteDomain']>): ReturnType<DomainService['deleteDomain']> {
    return this.resources.domains.deleteDomain(...a);
  }
  domainForms(...a: Parameters<DomainService['domainForms']>): ReturnType<DomainService['domainForms']> {
    return this.resources.domains.domainForms(...a);
  }

  listDomainAliases(...a: Parameters<DomainAliasService['listDomainAliases']>): ReturnType<DomainAliasService['listDomainAliases']> {
    return this.resources.domainAliases.listDomainAliases(...a);
  }
  createDomainAlias(...a: Parameters<DomainAliasService['createDomainAlias']>): ReturnType<DomainAliasService['createDomainAlias']> {
    return this.resources.domainAliases.createDomainAlias(...a);
  }
  deleteDomainAlias(...a: Parameters<DomainAliasService['deleteDomainAlias']>): ReturnType<DomainAliasService['deleteDomainAlias']> {
    return this.resources.domainAliases.deleteDomainAlias(...a);
  }

  listMailboxAliases(...a: Parameters<MailboxAliasService['listMailboxAliases']>): ReturnType<MailboxAliasService['listMailboxAliases']> {
    return this.resources.mailboxAliases.listMailboxAliases(...a);
  }
  createMailboxAlias(...a: Parameters<MailboxAliasService['createMailboxAlias']>): ReturnType<MailboxAliasService['createMailboxAlias']> {
    return this.resources.mailboxAliases.createMailboxAlias(...a);
  }
  deleteMailboxAlias(...a: Parameters<MailboxAliasService['deleteMailboxAlias']>): ReturnType<MailboxAliasService['deleteMailboxAlias']> {
    return this.resources.mailboxAliases.deleteMailboxAlias(...a);
  }

  listRelayDomains(...a: Parameters<RelayDomainService['listRelayDomains']>): ReturnType<RelayDomainService['listRelayDomains']> {
    return this.resources.relayDomains.listRelayDomains(...a);
  }
  requireRelayDomain(...a: Parameters<RelayDomainService['requireRelayDomain']>): ReturnType<RelayDomainService['requireRelayDomain']> {
    return this.resources.relayDomains.requireRelayDomain(...a);
  }
  createRelayDomain(...a: Parameters<RelayDomainService['createRelayDomain']>): ReturnType<RelayDomainService['createRelayDomain']> {
    return this.resources.relayDomains.createRelayDomain(...a);
  }
  updateRelayDomain(...a: Parameters<RelayDomainService['updateRelayDomain']>): ReturnType<RelayDomainService['updateRelayDomain']> {
    return this.resources.relayDomains.updateRelayDomain(...a);
  }
  deleteRelayDomain(...a: Parameters<RelayDomainService['deleteRelayDomain']>): ReturnType<RelayDomainService['deleteRelayDomain']> {
    return this.resources.relayDomains.deleteRelayDomain(...a);
  }
  relayDomainForms(...a: Parameters<RelayDomainService['relayDomainForms']>): ReturnType<RelayDomainService['relayDomainForms']> {
    return this.resources.relayDomains.relayDomainForms(...a);
  }
  listRelayDomainAliases(...a: Parameters<RelayDomainService['listRelayDomainAliases']>): ReturnType<RelayDomainService['listRelayDomainAliases']> {
    return this.resources.relayDomains.listRelayDomainAliases(...a);
  }
  createRelayDomainAlias(...a: Parameters<RelayDomainService['createRelayDomainAlias']>): ReturnType<RelayDomainService['createRelayDomainAlias']> {
    return this.resources.relayDomains.createRelayDomainAlias(...a);
  }
  deleteRelayDomainAlias(...a: Parameters<RelayDomainService['deleteRelayDomainAlias']>): ReturnType<RelayDomainService['deleteRelayDomainAlias']> {
    return this.resources.relayDomains.deleteRelayDomainAlias(...a);
  }

  menu(...a: Parameters<ContentService['menu']>): ReturnType<ContentService['menu']> {
    return this.resources.content.menu(...a);
  }
  announcements(...a: Parameters<ContentService['announcements']>): ReturnType<ContentService['announcements']> {
    return this.resources.content.announcements(...a);
  }
  notifications(...a: Parameters<ContentService['notifications']>): ReturnType<ContentService['notifications']> {
    return this.resources.content.notifications(...a);
  }
  adminContent(...a: Parameters<ContentService['adminContent']>): ReturnType<ContentService['adminContent']> {
    return this.resources.content.adminContent(...a);
  }
  staticContent(...a: Parameters<ContentService['staticContent']>): ReturnType<ContentService['staticContent']> {
    return this.resources.content.staticContent(...a);
  }

  parameters(...a: Parameters<ParameterService['parameters']>): ReturnType<ParameterService['parameters']> {
    return this.resources.parameters.parameters(...a);
  }
  setParameters(...a: Parameters<ParameterService['setParameters']>): ReturnType<ParameterService['setParameters']> {
    return this.resources.parameters.setParameters(...a);
  }

  limitTemplates(...a: Parameters<LimitService['limitTemplates']>): ReturnType<LimitService['limitTemplates']> {
    return this.resources.limits.limitTemplates(...a);
  }
  limits(...a: Parameters<LimitService['limits']>): ReturnType<LimitService['limits']> {
    return this.resources.limits.limits(...a);
  }
  setLimits(...a: Parameters<LimitService['setLimits']>): ReturnType<LimitService['setLimits']> {
    return this.resources.limits.setLimits(...a);
  }

  builtinImporters(...a: Parameters<ImportExportService['builtinImporters']>): ReturnType<ImportExportService['builtinImporters']> {
    return this.resources.importExport.builtinImporters(...a);
  }
  importHelp(...a: Parameters<ImportExportService['importHelp']>): ReturnType<ImportExportService['importHelp']> {
    return this.resources.importExport.importHelp(...a);
  }
  importCsv(...a: Parameters<ImportExportService['importCsv']>): ReturnType<ImportExportService['importCsv']> {
    return this.resources.importExport.importCsv(...a);
  }
  exportAccounts(...a: Parameters<ImportExportService['exportAccounts']>): ReturnType<ImportExportService['exportAccounts']> {
    return this.resources.importExport.exportAccounts(...a);
  }
  exportDomains(...a: Parameters<ImportExportService['exportDomains']>): ReturnType<ImportExportService['exportDomains']> {
    return this.resources.importExport.exportDomains(...a);
  }
}
