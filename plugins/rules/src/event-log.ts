import { SqlErrors, type SqlDatabase } from '@plugboard/sql';
import type { EventLogEntry, EventLogQuery, EventLogRecord } from './event-log-entry';
import { EventLogQueries } from './event-log-queries';
import type { RulesTables } from './rules-tables';

export type { EventLogEntry, EventLogQuery, EventLogRecord, EventLogStatus } from './event-log-entry';

/** Entries kept in memory before a write is forced, even within one event-loop turn. */
const MAX_PENDING = 256;

/**
 * The rules event log (`rules_event_log`): what each rule did for each event, on SQLite or
 * PostgreSQL. The tables must exist: `RuleStore.open` (or `migrateRules`) creates them.
 *
 * @example
 * ```ts
 * const log = (await RuleStore.open(db, { registry })).eventLog;
 * await log.query({ status: 'failed', since: new Date(Date.now() - 3600_000) });
 * ```
 */
export class EventLog {
  private readonly q: EventLogQueries;
  /** Entries recorded but not yet written (see {@link EventLog.record}). */
  private pending: EventLogRecord[] = [];
  private scheduled: NodeJS.Immediate | undefined = undefined;
  /** PostgreSQL: the batches being written, in order; `flush` awaits it. */
  private writing: Promise<void> = Promise.resolve();
  /** SQLite: writes a batch now, in one transaction. */
  private readonly writeSync: ((entries: readonly EventLogRecord[]) => void) | undefined;

  constructor(private readonly db: SqlDatabase) {
    this.q = new EventLogQueries(db.as<RulesTables>());
    this.writeSync = db.sqlite === undefined ? undefined : this.q.sqliteWriter(db.sqlite);
  }

  /**
   * Appends an entry. Writes are batched: entries recorded during one turn of the event loop are
   * written together in one transaction right after it (one commit instead of one per rule keeps
   * dispatch cheap) — synchronously on SQLite, in the background on PostgreSQL. Every read
   * flushes first, so readers see every recorded entry; `flush()` writes now.
   */
  record(entry: EventLogRecord): void {
    this.pending.push(entry.at === undefined ? { ...entry, at: new Date() } : entry);
    // A burst that never yields to the event loop still writes in bounded batches.
    if (this.pending.length >= MAX_PENDING) {
      this.writeSafely();
      return;
    }
    if (this.scheduled === undefined) {
      this.scheduled = setImmediate(() => {
        this.scheduled = undefined;
        this.writeSafely();
      });
      // A pending flush must not keep a finished process alive; exit paths call flush().
      this.scheduled.unref();
    }
  }

  /**
   * Writes every recorded entry and resolves once all are stored. On SQLite the write happens
   * before `flush` returns; on PostgreSQL await it (shutdown does) so nothing is lost.
   * @example `await store.eventLog.flush(); await db.close();`
   */
  async flush(): Promise<void> {
    this.writePending();
    await this.writing;
  }

  /**
   * Starts writing the pending entries: SQLite now, in one transaction (a failure keeps them and
   * throws); PostgreSQL after the batches already on their way (a failure keeps them for the next
   * write and warns).
   */
  private writePending(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    if (this.writeSync !== undefined) {
      try {
        this.writeSync(batch);
      } catch (e) {
        // Keep the entries for the next attempt rather than dropping them.
        this.pending = batch.concat(this.pending);
        throw e;
      }
      return;
    }
    this.writing = this.writing.then(() =>
      this.db.transact(this.q.insertAll(batch)).catch((e: unknown) => {
        if (SqlErrors.is(e, 'PB_SQL_CLOSED')) return this.lost(batch.length);
        this.pending = batch.concat(this.pending);
        process.emitWarning(`rules event log: ${e instanceof Error ? e.message : String(e)}; the entries are written with the next batch.`);
      }),
    );
  }

  private writeSafely(): void {
    if (this.db.sqlite?.open === false) {
      const lost = this.pending.length;
      this.pending = [];
      return this.lost(lost);
    }
    try {
      this.writePending();
    } catch (e) {
      // The actions already happened; a failing write is retried on the next record/read.
      process.emitWarning(`rules event log: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Retrying can never succeed on a closed connection: say once what was lost and why. */
  private lost(count: number): void {
    process.emitWarning(
      `rules event log: ${count} entr${count === 1 ? 'y was' : 'ies were'} not written because the database was closed first; call eventLog.flush() before closing it.`,
    );
  }

  /** Entries matching `filter`, newest first unless `order: 'asc'`. */
  async query(filter: EventLogQuery = {}): Promise<EventLogEntry[]> {
    await this.flush();
    return this.db.run(this.q.query(filter));
  }

  /** Number of entries matching `filter` (limit/offset/order ignored). */
  async count(filter: EventLogQuery = {}): Promise<number> {
    await this.flush();
    return this.db.run(this.q.count(filter));
  }

  /** Deletes entries older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    await this.flush();
    return this.db.run(this.q.prune(before));
  }
}
