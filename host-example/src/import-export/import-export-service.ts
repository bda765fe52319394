import { extrasOfRow, mobileCsvField, mobileOfRow } from '../account-csv';
import type { AccountService } from '../accounts/account-service';
import { toBool, toInt } from '../common/field-checks';
import { ResourceService, type ServiceContext } from '../common/resource-service';
import { requireAdmin } from '../common/roles';
import { formatCsv, parseCsv } from '../csv';
import type { DomainAliasService } from '../domain-aliases/domain-alias-service';
import type { DomainService } from '../domains/domain-service';
import { HostError, invalid } from '../errors';
import type { ImportFunction, ImportOptions } from '../hooks';
import type { MailboxAliasService } from '../mailbox-aliases/mailbox-alias-service';
import type { User } from '../model';
import type { RelayDomainService } from '../relay-domains/relay-domain-service';

/** The services the built-in importers create objects through (so their hooks fire). */
export interface ImportTargets {
  readonly domains: DomainService;
  readonly domainAliases: DomainAliasService;
  readonly accounts: AccountService;
  readonly mailboxAliases: MailboxAliasService;
  readonly relayDomains: RelayDomainService;
}

/**
 * CSV import (through `ImportObject`, the host's built-ins registered the same way) and export.
 *
 * @example
 * ```ts
 * await importExport.importCsv(admin, 'domain; example.com; 100; true\n');
 * ```
 */
export class ImportExportService extends ResourceService {
  constructor(ctx: ServiceContext, private readonly targets: ImportTargets) {
    super(ctx);
  }

  /** Built-in import functions, registered on `ImportObject` by the host (as extension `host`). */
  builtinImporters(): Record<string, ImportFunction> {
    return {
      domain: async (user, row) => {
        const [, name, quota, enabled] = row;
        await this.targets.domains.createDomain(user, { name: name ?? '', quota: quota ? toInt(quota, 'quota') : undefined, enabled: enabled === undefined ? true : toBool(enabled) });
      },
      domainalias: async (user, row) => {
        const [, name, target] = row;
        await this.targets.domainAliases.createDomainAlias(user, { name: name ?? '', target: target ?? '' });
      },
      account: async (user, row) => {
        const [, username, password, firstName, lastName, enabled, role, email, quota] = row;
        await this.targets.accounts.createAccount(
          user,
          {
            username: username ?? '',
            password: password ?? '',
            firstName,
            lastName,
            enabled: enabled === undefined ? true : toBool(enabled),
            role: role || 'SimpleUsers',
            email: email || undefined, mobile: mobileOfRow(row),
            quota: quota ? toInt(quota, 'quota') : undefined,
          },
          'import',
          extrasOfRow(row),
        );
      },
      alias: async (user, row) => {
        const [, address, enabled, ...recipients] = row;
        await this.targets.mailboxAliases.createMailboxAlias(user, { address: address ?? '', enabled: enabled === undefined ? true : toBool(enabled), recipients });
      },
      relaydomain: async (user, row) => {
        const [, name, targetHost, service] = row;
        await this.targets.relayDomains.createRelayDomain(user, { name: name ?? '', targetHost: targetHost ?? '', service: service || undefined });
      },
    };
  }

  /** Help of the import form: the built-in formats, then `ExtraDomainImportHelp`. */
  async importHelp(): Promise<string[]> {
    return [
      'domain; <name>; <quota MB>; <enabled: true|false>',
      'domainalias; <name>; <target domain>; <enabled>',
      'account; <username>; <password>; <first name>; <last name>; <enabled>; <role>; <email>; <quota MB>[; extra…][; mobile=<+491701234567>]',
      'alias; <address>; <enabled>; <recipient>[; <recipient>…]',
      'relaydomain; <name>; <target host>; <service>',
      ...(await this.bus.call('ExtraDomainImportHelp')),
    ];
  }

  /**
   * Imports CSV records: for each, `ImportObject(objtype)` gives the import function (the host's built-ins
   * are registered the same way). Stops at the first failing line (400 naming `csv line N`) unless `continueIfExists` and the object exists.
   */
  async importCsv(actor: User, csv: string, formopts: ImportOptions & { sepchar?: string } = {}): Promise<{ imported: number; skipped: number }> {
    requireAdmin(actor);
    let records;
    try {
      records = parseCsv(csv, formopts.sepchar ?? ';');
    } catch (e) {
      throw invalid('csv', e instanceof Error ? e.message : String(e));
    }
    let imported = 0;
    let skipped = 0;
    for (const { line, fields } of records) {
      const objtype = (fields[0] ?? '').toLowerCase();
      const [fn] = await this.bus.call('ImportObject', objtype);
      if (fn === undefined) throw invalid(`csv line ${line}`, `unknown object type "${objtype}"; GET /api/import/help lists the formats.`);
      try {
        await fn(actor, fields, formopts);
        imported++;
      } catch (e) {
        if (e instanceof HostError && e.code === 'PB_HOST_CONFLICT' && formopts.continueIfExists) {
          skipped++;
          continue;
        }
        if (e instanceof HostError && e.code !== 'PB_HOST_VETOED') throw new HostError(e.code as 'PB_HOST_INVALID', `csv line ${line}: ${e.message}`, { field: `csv line ${line}`, cause: e });
        throw e;
      }
    }
    return { imported, skipped };
  }

  /** Exports the visible accounts as CSV; each record ends with the values of `AccountExported`. */
  async exportAccounts(actor: User): Promise<string> {
    const rows: (string | number | boolean)[][] = [];
    for (const { account, mailbox } of await this.targets.accounts.listAccounts(actor)) {
      const extra = await this.bus.call('AccountExported', account);
      rows.push([
        'account',
        account.username,
        this.repo.passwordHash(account.id) ?? '',
        account.firstName,
        account.lastName,
        account.enabled,
        account.role,
        account.email,
        mailbox?.quota ?? 0,
        ...extra, ...mobileCsvField(account),
      ]);
    }
    return formatCsv(rows);
  }

  /** Exports the visible domains and domain aliases as CSV. */
  exportDomains(actor: User): string {
    requireAdmin(actor);
    const rows: (string | number | boolean)[][] = this.targets.domains.visibleDomains(actor).map((d) => ['domain', d.name, d.quota, d.enabled]);
    for (const a of this.targets.domainAliases.listDomainAliases(actor)) rows.push(['domainalias', a.name, a.targetName, a.enabled]);
    return formatCsv(rows);
  }
}
