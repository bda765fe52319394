import type { Database, Statement } from 'better-sqlite3';
import { migrateRules } from './migrations';
import type { RulePosition } from './rule';

/**
 * Outcome of one rule for one event: the action did its work (`ok`), handed messages to the
 * outbox (`queued`, delivery still to come), threw (`failed`), or did nothing (`skipped`: its
 * conditions did not hold, or the action said why, e.g. an endpoint not subscribed to the event).
 */
export type EventLogStatus = 'ok' | 'queued' | 'failed' | 'skipped';

/** One line of the rules event log. */
export interface EventLogEntry {
  readonly id: number;
  readonly ruleId: number;
  readonly ruleName: string;
  readonly event: string;
  readonly eventId: string;
  readonly position: RulePosition;
  readonly status: EventLogStatus;
  readonly error?: string;
  readonly detail?: string;
  readonly durationMs: number;
  readonly at: Date;
}

/** What {@link EventLog.record} stores. */
export type EventLogRecord = Omit<EventLogEntry, 'id' | 'at'> & { readonly at?: Date };

/** Filter of {@link EventLog.query}; all given fields must match. */
export interface EventLogQuery {
  readonly ruleId?: number;
  readonly event?: string;
  readonly eventId?: string;
  readonly status?: EventLogStatus;
  readonly position?: RulePosition;
  /** Entries at or after this time. */
  readonly since?: Date;
  /** Entries before this time. */
  readonly until?: Date;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  readonly offset?: number;
  /** Default `desc` (newest first). */
  readonly order?: 'asc' | 'desc';
}

interface Row {
  id: number;
  rule_id: number;
  rule_name: string;
  event: string;
  event_id: string;
  position: RulePosition;
  status: EventLogStatus;
  error: string | null;
  detail: string | null;
  duration_ms: number;
  at: string;
}

/** Entries kept in memory before a write is forced, even within one event-loop turn. */
const MAX_PENDING = 256;

/**
 * The rules event log in SQLite (`rules_event_log`): what each rule did for each event.
 *
 * @example
 * ```ts
 * const log = new EventLog(db);
 * log.query({ status: 'failed', since: new Date(Date.now() - 3600_000) });
 * ```
 */
export class EventLog {
  private readonly insert: Statement<unknown[]>;
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly writeBatch: (entries: readonly EventLogRecord[]) => void;
  /** Entries recorded but not yet written (see {@link EventLog.record}). */
  private pending: EventLogRecord[] = [];
  private scheduled: NodeJS.Immediate | undefined = undefined;

  constructor(private readonly db: Database) {
    migrateRules(db);
    this.insert = db.prepare(
      `INSERT INTO rules_event_log (rule_id, rule_name, event, event_id, position, status, error, detail, duration_ms, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((entries: readonly EventLogRecord[]) => {
      for (const entry of entries) {
        this.insert.run(
          entry.ruleId,
          entry.ruleName,
          entry.event,
          entry.eventId,
          entry.position,
          entry.status,
          entry.error ?? null,
          entry.detail ?? null,
          entry.durationMs,
          (entry.at ?? new Date()).toISOString(),
        );
      }
    });
  }

  /**
   * Appends an entry. Writes are batched: entries recorded during one turn of the event
   * loop are written together in one transaction right after it (one commit instead of
   * one per rule keeps dispatch cheap). Every read flushes first, so readers always see
   * every recorded entry; `flush()` writes now.
   */
  record(entry: EventLogRecord): void {
    this.pending.push(entry.at === undefined ? { ...entry, at: new Date() } : entry);
    // A burst that never yields to the event loop still writes in bounded batches.
    if (this.pending.length >= MAX_PENDING) {
      this.flushSafely();
      return;
    }
    if (this.scheduled === undefined) {
      this.scheduled = setImmediate(() => {
        this.scheduled = undefined;
        this.flushSafely();
      });
      // A pending flush must not keep a finished process alive; exit paths call flush().
      this.scheduled.unref();
    }
  }

  /** Writes every recorded entry now (one transaction). */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.writeBatch(batch);
    } catch (e) {
      // Keep the entries for the next attempt rather than dropping them.
      this.pending = batch.concat(this.pending);
      throw e;
    }
  }

  private flushSafely(): void {
    if (!this.db.open) {
      // Retrying can never succeed on a closed connection: say once what was lost and why.
      const lost = this.pending.length;
      this.pending = [];
      process.emitWarning(
        `rules event log: ${lost} entr${lost === 1 ? 'y was' : 'ies were'} not written because the database was closed first; call eventLog.flush() before closing it.`,
      );
      return;
    }
    try {
      this.flush();
    } catch (e) {
      // The actions already happened; a failing write is retried on the next record/read.
      process.emitWarning(`rules event log: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Entries matching `filter`, newest first unless `order: 'asc'`. */
  query(filter: EventLogQuery = {}): EventLogEntry[] {
    this.flush();
    const { where, params } = this.where(filter);
    const order = filter.order === 'asc' ? 'ASC' : 'DESC';
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 0), 1000);
    const offset = Math.max(Math.trunc(filter.offset ?? 0), 0);
    const rows = this.statement(`SELECT * FROM rules_event_log${where} ORDER BY at ${order}, id ${order} LIMIT ? OFFSET ?`).all(
      ...params,
      limit,
      offset,
    ) as Row[];
    return rows.map(toEntry);
  }

  /** Number of entries matching `filter` (limit/offset/order ignored). */
  count(filter: EventLogQuery = {}): number {
    this.flush();
    const { where, params } = this.where(filter);
    return this.statement(`SELECT COUNT(*) FROM rules_event_log${where}`).pluck().get(...params) as number;
  }

  /** Deletes entries older than `before`; returns how many. */
  prune(before: Date): number {
    this.flush();
    return this.statement('DELETE FROM rules_event_log WHERE at < ?').run(before.toISOString()).changes;
  }

  private where(filter: EventLogQuery): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      clauses.push(clause);
      params.push(value);
    };
    if (filter.ruleId !== undefined) add('rule_id = ?', filter.ruleId);
    if (filter.event !== undefined) add('event = ?', filter.event);
    if (filter.eventId !== undefined) add('event_id = ?', filter.eventId);
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.position !== undefined) add('position = ?', filter.position);
    if (filter.since !== undefined) add('at >= ?', filter.since.toISOString());
    if (filter.until !== undefined) add('at < ?', filter.until.toISOString());
    return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
  }

  private statement(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}

function toEntry(row: Row): EventLogEntry {
  const entry: { -readonly [K in keyof EventLogEntry]: EventLogEntry[K] } = {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    event: row.event,
    eventId: row.event_id,
    position: row.position,
    status: row.status,
    durationMs: row.duration_ms,
    at: new Date(row.at),
  };
  if (row.error !== null) entry.error = row.error;
  if (row.detail !== null) entry.detail = row.detail;
  return entry;
}
