import { all, exec, first, type Work } from '@plugboard/sql';
import type { Database } from 'better-sqlite3';
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import type { EventLogEntry, EventLogQuery, EventLogRecord } from './event-log-entry';
import type { RulesTables } from './rules-tables';

type Row = Selectable<RulesTables['rules_event_log']>;
type NewRow = Omit<Row, 'id'>;

function toRow(entry: EventLogRecord): NewRow {
  return {
    rule_id: entry.ruleId,
    rule_name: entry.ruleName,
    event: entry.event,
    event_id: entry.eventId,
    position: entry.position,
    status: entry.status,
    error: entry.error ?? null,
    detail: entry.detail ?? null,
    duration_ms: entry.durationMs,
    at: (entry.at ?? new Date()).toISOString(),
  };
}

/** The event log's statements, built with Kysely for either dialect. */
export class EventLogQueries {
  constructor(private readonly k: Kysely<RulesTables>) {}

  /**
   * The SQLite batch writer: the one-row insert compiled once by Kysely, prepared once on the
   * connection and run per entry in one better-sqlite3 transaction. This is the dispatch path's
   * write, so it skips the work runner (a step object, a parameter check and a cache lookup per
   * entry) to stay as fast as the hand-written statement it replaced.
   */
  sqliteWriter(sqlite: Database): (entries: readonly EventLogRecord[]) => void {
    const insert = sqlite.prepare(this.insertOneSql());
    return sqlite.transaction((entries: readonly EventLogRecord[]) => {
      for (const e of entries) {
        // In the column order of `toRow`, which Kysely compiled the insert in.
        insert.run(e.ruleId, e.ruleName, e.event, e.eventId, e.position, e.status, e.error ?? null, e.detail ?? null, e.durationMs, (e.at ?? new Date()).toISOString());
      }
    });
  }

  private insertOneSql(): string {
    const template = toRow({ ruleId: 0, ruleName: '', event: '', eventId: '', position: 'post', status: 'ok', durationMs: 0, at: new Date(0) });
    return this.k.insertInto('rules_event_log').values(template).compile().sql;
  }

  /** One multi-row insert (PostgreSQL: one round trip per batch). */
  *insertAll(entries: readonly EventLogRecord[]): Work<void> {
    if (entries.length > 0) yield* exec(this.k.insertInto('rules_event_log').values(entries.map(toRow)));
  }

  *query(filter: EventLogQuery): Work<EventLogEntry[]> {
    const order = filter.order === 'asc' ? 'asc' : 'desc';
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 0), 1000);
    const offset = Math.max(Math.trunc(filter.offset ?? 0), 0);
    const rows = yield* all(this.k.selectFrom('rules_event_log').selectAll().where((eb) => matches(eb, filter)).orderBy('at', order).orderBy('id', order).limit(limit).offset(offset));
    return rows.map(toEntry);
  }

  *count(filter: EventLogQuery): Work<number> {
    const row = yield* first(this.k.selectFrom('rules_event_log').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => matches(eb, filter)));
    return Number(row?.n ?? 0);
  }

  *prune(before: Date): Work<number> {
    return yield* exec(this.k.deleteFrom('rules_event_log').where('at', '<', before.toISOString()));
  }
}

function matches(eb: ExpressionBuilder<RulesTables, 'rules_event_log'>, filter: EventLogQuery): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  if (filter.ruleId !== undefined) c.push(eb('rule_id', '=', filter.ruleId));
  if (filter.event !== undefined) c.push(eb('event', '=', filter.event));
  if (filter.eventId !== undefined) c.push(eb('event_id', '=', filter.eventId));
  if (filter.status !== undefined) c.push(eb('status', '=', filter.status));
  if (filter.position !== undefined) c.push(eb('position', '=', filter.position));
  if (filter.since !== undefined) c.push(eb('at', '>=', filter.since.toISOString()));
  if (filter.until !== undefined) c.push(eb('at', '<', filter.until.toISOString()));
  return eb.and(c);
}

function toEntry(row: Row): EventLogEntry {
  const entry: { -readonly [K in keyof EventLogEntry]: EventLogEntry[K] } = {
    id: Number(row.id),
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
