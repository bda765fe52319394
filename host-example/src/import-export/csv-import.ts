import { PlugboardError } from '@plugboard/core';
import type { Savepoint } from '@plugboard/sql';
import type { Database } from '../db';
import { HostError } from '../errors';
import type { HostBus } from '../host-bus';
import type { ImportFunction, ImportOptions } from '../hooks';
import type { User } from '../model';
import { missingColumns } from './import-columns';
import { ImportRejectedError, rejectedRow, type ImportResult, type RejectedRow } from './import-report';
import { ImportScope, inImportScope } from './import-scope';

/** A parsed CSV record. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** How to import. */
export interface CsvImportOptions extends ImportOptions {
  /** Import the good rows and report the bad ones (default: nothing is imported when any row is bad). */
  readonly continueOnError?: boolean;
  /** Called after each row (a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The import in progress (or last) on each connection, so the next one starts after it. */
const running = new WeakMap<Database, Promise<void>>();


/** What the rows came to. */
interface Outcome {
  readonly counts: { imported: number; skipped: number };
  readonly bad: RejectedRow[];
}

/** An import function and the extension that returned it. */
interface Importer {
  readonly extension: string;
  readonly fn: ImportFunction;
}

/**
 * One CSV import in one SQLite transaction, each row in a savepoint: a bad row is rolled back alone
 * and reported; at the end, all-or-none rolls everything back if any row was bad, `continueOnError`
 * commits the good ones. The announcements (`AccountImported`, `DomainCreated`…) are raised after
 * the commit, for the committed rows only.
 *
 * The transaction is held open for the import's async context (`SqlDatabase.hold`: on SQLite the
 * shared connection's, on PostgreSQL one of the pool's), which the repository's works join.
 *
 * @example
 * ```ts
 * await new CsvImport(db, bus).run(admin, records, {});
 * ```
 */
export class CsvImport {
  private readonly importers = new Map<string, Promise<Importer[]>>();

  constructor(private readonly db: Database, private readonly bus: HostBus) {}

  /**
   * Imports `records`; throws the bad row's error, or {@link ImportRejectedError} for several, when all-or-none.
   * Imports on one connection wait for each other: SQLite has one transaction per connection.
   */
  run(actor: User, records: readonly CsvRecord[], options: CsvImportOptions): Promise<ImportResult> {
    const previous = running.get(this.db) ?? Promise.resolve();
    const mine = previous.then(() => this.runAlone(actor, records, options));
    running.set(this.db, mine.then(() => undefined, () => undefined));
    return mine;
  }

  private async runAlone(actor: User, records: readonly CsvRecord[], options: CsvImportOptions): Promise<ImportResult> {
    const scope = new ImportScope();
    await scope.prehash(records.filter((r) => (r.fields[0] ?? '').toLowerCase() === 'account').map((r) => r.fields[2] ?? ''));
    const rows = (savepoint: Savepoint): Promise<Outcome> => this.importRows(actor, records, options, scope, savepoint);
    const { counts, bad } = await this.db.store.hold(rows);
    await scope.flush();
    return options.continueOnError === true ? { ...counts, rejected: bad } : counts;
  }

  /** Every row in a savepoint; throws (rolling all back) when a row is bad and the import is all-or-none. */
  private async importRows(actor: User, records: readonly CsvRecord[], options: CsvImportOptions, scope: ImportScope, savepoint: Savepoint): Promise<Outcome> {
    const counts = { imported: 0, skipped: 0 };
    const bad: { row: RejectedRow; error: unknown }[] = [];
    for (const [i, { line, fields }] of records.entries()) {
      const outcome = await inImportScope(scope, () =>
        savepoint(() => this.importRow(actor, line, fields, options)).then(
          (imported): 'imported' | 'skipped' => (imported ? 'imported' : 'skipped'),
          (error: unknown) => ({ error }),
        ),
      );
      scope.endRow(outcome === 'imported');
      if (outcome === 'imported' || outcome === 'skipped') counts[outcome]++;
      else bad.push({ row: rejectedRow(line, outcome.error), error: outcome.error });
      options.onProgress?.(i + 1, records.length);
    }
    if (bad.length > 0 && options.continueOnError !== true) throw bad.length === 1 ? bad[0].error : new ImportRejectedError(bad.map((b) => b.row));
    return { counts, bad: bad.map((b) => b.row) };
  }

  /** Every import function extensions (and the host) return for a row type, asked once per import. */
  private importersOf(objtype: string): Promise<Importer[]> {
    let found = this.importers.get(objtype);
    if (found === undefined) {
      found = this.bus.invoke('ImportObject', [objtype]).then(({ report }) => {
        const importers: Importer[] = [];
        for (const line of report.listeners) {
          if (line.status !== 'ok' || line.value === undefined) continue;
          for (const fn of Array.isArray(line.value) ? line.value : [line.value]) {
            if (typeof fn === 'function') importers.push({ extension: line.extension, fn: fn as ImportFunction });
          }
        }
        return importers;
      });
      this.importers.set(objtype, found);
    }
    return found;
  }

  /** Runs a row's import functions; false when it was skipped (the object exists and `continueIfExists`). */
  private async importRow(actor: User, line: number, fields: string[], formopts: ImportOptions): Promise<boolean> {
    const short = missingColumns(line, fields);
    if (short) throw short;
    const objtype = (fields[0] ?? '').toLowerCase();
    const importers = await this.importersOf(objtype);
    if (importers.length === 0) throw new HostError('PB_HOST_INVALID', `Invalid "csv line ${line}": unknown object type "${objtype}"; GET /api/import/help lists the formats.`, { field: `csv line ${line}` });
    for (const { extension, fn } of importers) {
      try {
        await fn(actor, fields, formopts);
      } catch (e) {
        if (e instanceof HostError && e.code === 'PB_HOST_CONFLICT' && formopts.continueIfExists) return false;
        throw rowError(line, extension, e);
      }
    }
    return true;
  }
}

/** A failing import function's error, naming the CSV line (and the extension, when not the host). */
function rowError(line: number, extension: string, e: unknown): unknown {
  // Vetoes, rule refusals and failing hooks keep their own status; the host's own errors are the row's.
  if (e instanceof HostError ? e.code === 'PB_HOST_VETOED' : e instanceof PlugboardError) return e;
  if (e instanceof HostError && extension === 'host') {
    return e.message.startsWith('csv line') ? e : new HostError(e.code as 'PB_HOST_INVALID', `csv line ${line}: ${e.message}`, { field: e.field ?? `csv line ${line}`, cause: e });
  }
  if (extension === 'host') return e;
  const by = extension === 'host' ? '' : `import function of extension "${extension}" failed: `;
  const details = { field: `csv line ${line}`, cause: e, ...(extension === 'host' ? {} : { extension }) };
  if (e instanceof HostError) return new HostError(e.code as 'PB_HOST_INVALID', `csv line ${line}: ${by}${e.message}`, details);
  return new HostError('PB_HOST_INVALID', `csv line ${line}: ${by}${e instanceof Error ? e.message : String(e)}`, details);
}
