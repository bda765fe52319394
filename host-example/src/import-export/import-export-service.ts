import { mobileCsvField } from '../account-csv';
import type { AccountService } from '../accounts/account-service';
import { builtinImporters } from './builtin-importers';
import { ResourceService, type ServiceContext } from '../common/resource-service';
import { isSuperAdmin, requireAdmin } from '../common/roles';
import { formatCsv, parseCsv } from '../csv';
import type { DomainAliasService } from '../domain-aliases/domain-alias-service';
import type { DomainService } from '../domains/domain-service';
import { forbidden, invalid } from '../errors';
import type { ImportFunction } from '../hooks';
import { CsvImport, type CsvImportOptions } from './csv-import';
import type { ImportResult } from './import-report';
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
    return builtinImporters(this.targets);
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
   * Imports CSV records, all or none by default (see {@link CsvImport}). For each, every function `ImportObject(objtype)`
   * returns runs, in the bus's order (extensions by priority, then the host's built-ins, registered the same way): the
   * seed's callbacks return a list of functions, and a second extension's importer is never silently dropped.
   */
  async importCsv(actor: User, csv: string, formopts: CsvImportOptions & { sepchar?: string } = {}): Promise<ImportResult> {
    requireAdmin(actor);
    let records;
    try {
      records = parseCsv(csv, formopts.sepchar ?? ';');
    } catch (e) {
      throw invalid('csv', e instanceof Error ? e.message : String(e));
    }
    return new CsvImport(this.repo.db, this.bus).run(actor, records, formopts);
  }

  /**
   * Exports the visible accounts as CSV; each record ends with the values of `AccountExported`. The password column
   * is empty unless `includePasswords` (SuperAdmins only): such a file imports as accounts without a usable password.
   */
  async exportAccounts(actor: User, { includePasswords = false }: { includePasswords?: boolean } = {}): Promise<string> {
    if (includePasswords && !isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can export password hashes; export without them.');
    const rows: (string | number | boolean)[][] = [];
    for (const { account, mailbox } of await this.targets.accounts.listAccounts(actor)) {
      const extra = await this.bus.call('AccountExported', account);
      rows.push([
        'account',
        account.username,
        includePasswords ? ((await this.repo.passwordHash(account.id)) ?? '') : '',
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
  async exportDomains(actor: User): Promise<string> {
    requireAdmin(actor);
    const rows: (string | number | boolean)[][] = (await this.targets.domains.visibleDomains(actor)).map((d) => ['domain', d.name, d.quota, d.enabled]);
    for (const a of await this.targets.domainAliases.listDomainAliases(actor)) rows.push(['domainalias', a.name, a.targetName, a.enabled]);
    return formatCsv(rows);
  }
}
