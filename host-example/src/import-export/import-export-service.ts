import { mobileCsvField } from '../account-csv';
import type { AccountService } from '../accounts/account-service';
import { builtinImporters } from './builtin-importers';
import { ResourceService, type ServiceContext } from '../common/resource-service';
import { requireAdmin } from '../common/roles';
import { formatCsv, parseCsv } from '../csv';
import { PlugboardError } from '@plugboard/core';
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

/** An import function and the extension that returned it. */
interface Importer {
  readonly extension: string;
  readonly fn: ImportFunction;
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
   * Imports CSV records. For each, every function `ImportObject(objtype)` returns runs, in the bus's order (extensions by
   * priority, then the host's built-ins, registered the same way): the seed's callbacks return a list of functions, and a
   * second extension's importer is never silently dropped. Stops at the first failing line (400 naming `csv line N` and
   * the extension whose function failed) unless `continueIfExists` and the object exists.
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
      const importers = await this.importersOf(objtype);
      if (importers.length === 0) throw invalid(`csv line ${line}`, `unknown object type "${objtype}"; GET /api/import/help lists the formats.`);
      if (await this.importRow(actor, line, fields, formopts, importers)) imported++;
      else skipped++;
    }
    return { imported, skipped };
  }

  /** Every import function extensions (and the host) return for a row type, with the extension that returned it. */
  private async importersOf(objtype: string): Promise<Importer[]> {
    const { report } = await this.bus.invoke('ImportObject', [objtype]);
    const importers: Importer[] = [];
    for (const line of report.listeners) {
      if (line.status !== 'ok' || line.value === undefined) continue;
      for (const fn of Array.isArray(line.value) ? line.value : [line.value]) {
        if (typeof fn === 'function') importers.push({ extension: line.extension, fn: fn as ImportFunction });
      }
    }
    return importers;
  }

  /** Runs a row's import functions; false when it was skipped (the object exists and `continueIfExists`). */
  private async importRow(actor: User, line: number, fields: string[], formopts: ImportOptions, importers: readonly Importer[]): Promise<boolean> {
    for (const { extension, fn } of importers) {
      try {
        await fn(actor, fields, formopts);
      } catch (e) {
        if (e instanceof HostError && e.code === 'PB_HOST_CONFLICT' && formopts.continueIfExists) return false;
        // Vetoes, rule refusals and failing hooks keep their own status; the host's own errors are the row's.
        if (e instanceof HostError ? e.code === 'PB_HOST_VETOED' : e instanceof PlugboardError || extension === 'host') throw e;
        const by = extension === 'host' ? '' : `import function of extension "${extension}" failed: `;
        const details = { field: `csv line ${line}`, cause: e, ...(extension === 'host' ? {} : { extension }) };
        if (e instanceof HostError) throw new HostError(e.code as 'PB_HOST_INVALID', `csv line ${line}: ${by}${e.message}`, details);
        throw new HostError('PB_HOST_INVALID', `csv line ${line}: ${by}${e instanceof Error ? e.message : String(e)}`, details);
      }
    }
    return true;
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
