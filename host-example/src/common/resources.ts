import type { Logger } from 'pino';
import { AccountService } from '../accounts/account-service';
import { LimitService } from '../accounts/limit-service';
import { AccessPolicy } from '../authorization';
import { ContentService } from '../content/content-service';
import { DomainAliasService } from '../domain-aliases/domain-alias-service';
import { DomainService } from '../domains/domain-service';
import type { ExternalDirectory } from '../external-directory';
import type { HostBus } from '../host-bus';
import { ImportExportService } from '../import-export/import-export-service';
import { deferringBus } from '../import-export/import-scope';
import type { LoginThrottle } from '../login-throttle';
import { MailboxAliasService } from '../mailbox-aliases/mailbox-alias-service';
import { ParameterService } from '../parameters/parameter-service';
import { RelayDomainService } from '../relay-domains/relay-domain-service';
import type { Repository } from '../repository';
import { SessionService } from '../sessions/session-service';
import type { ServiceContext } from './resource-service';

/** The service of every resource, sharing one repository, bus, logger and access policy. */
export interface Resources {
  readonly policy: AccessPolicy;
  readonly sessions: SessionService;
  readonly domains: DomainService;
  readonly domainAliases: DomainAliasService;
  readonly accounts: AccountService;
  readonly limits: LimitService;
  readonly mailboxAliases: MailboxAliasService;
  readonly relayDomains: RelayDomainService;
  readonly content: ContentService;
  readonly parameters: ParameterService;
  readonly importExport: ImportExportService;
}

/**
 * Builds the resource services of a host.
 *
 * @example
 * ```ts
 * const { domains } = createResources(repo, bus, logger, directory);
 * ```
 */
export function createResources(repo: Repository, bus: HostBus, log: Logger, directory: ExternalDirectory, throttle?: LoginThrottle): Resources {
  // Services announce through a bus that holds announcements back during a CSV import, until it commits.
  const ctx: ServiceContext = { repo, bus: deferringBus(bus), log, policy: new AccessPolicy(repo) };
  const domains = new DomainService(ctx);
  const domainAliases = new DomainAliasService(ctx);
  const accounts = new AccountService(ctx);
  const mailboxAliases = new MailboxAliasService(ctx);
  const relayDomains = new RelayDomainService(ctx);
  return {
    policy: ctx.policy,
    sessions: new SessionService(ctx, directory, throttle),
    domains,
    domainAliases,
    accounts,
    limits: new LimitService(ctx, accounts),
    mailboxAliases,
    relayDomains,
    content: new ContentService(ctx),
    parameters: new ParameterService(ctx),
    importExport: new ImportExportService(ctx, { domains, domainAliases, accounts, mailboxAliases, relayDomains }),
  };
}
