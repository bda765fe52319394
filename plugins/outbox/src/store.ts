import { isDeepStrictEqual } from 'node:util';
import type { Database, Statement } from 'better-sqlite3';
import type { UnroutableRow } from './delivery/unroutable-report';
import type { MessageRow, NewAttempt, NewMessage } from './message-row';
import { insertQuery } from './queries/insert';
import { sqliteQueries } from './queries/on-sqlite';
import { unroutableCounts } from './queries/unroutable';
import { DELIVERING, PENDING, prepareFixed, prepareRouted, type FixedStatements, type RoutedStatements } from './store-statements';

const NONE: unique symbol = Symbol('no channels');
/** A message whose fields all differ: shows where each lands among the insert's parameters. */
const PROBE: NewMessage = { id: 'i', channel: 'c', payload: 'p', meta: 'm', dedupeKey: 'd', dueAt: 1, now: 2 };

/** The insert's parameters by position, in the order of the shared statement (checked in the constructor). */
function positional(m: NewMessage): unknown[] {
  return [m.id, m.channel, m.payload, m.meta, m.dedupeKey, m.dueAt, m.now, m.now];
}

/**
 * The delivery hot paths of the outbox on SQLite: claim, lease and settle, with the statements
 * (in store-statements.ts) pinned to the partial indexes and prepared once. They stay written for
 * SQLite alone, as PostgreSQL's stay in pg/pg-store.ts (`FOR UPDATE SKIP LOCKED`): the two
 * dialects claim in different ways. Everything else (lookups, lists, counts, retry, purge, insert)
 * is written once for both in `queries/`. Callers own transactions; every method is one or two
 * statements so they compose inside `db.transaction`.
 */
export class OutboxStore {
  private readonly s: FixedStatements;
  private readonly insertStatement: Statement;
  private readonly bindInsert: (m: NewMessage) => unknown[];
  private channels: readonly string[] = [];
  /** NONE while no channel has a deliverer: `IN ()` is folded away, leaving the forced index no plan. */
  private routed: RoutedStatements | typeof NONE = NONE;

  constructor(readonly db: Database) {
    this.s = prepareFixed(db);
    const { k } = sqliteQueries(db);
    const probe = insertQuery(k, PROBE).compile();
    this.insertStatement = db.prepare(probe.sql);
    // By position the shared statement binds as cheaply as a hand-written one; were its order
    // ever to change, the parameters come from the shared query itself.
    this.bindInsert = isDeepStrictEqual(probe.parameters, positional(PROBE)) ? positional : (m) => [...insertQuery(k, m).compile().parameters];
  }

  /**
   * Inserts; returns false when the id or (channel, dedupeKey) already exists. The statement is
   * the shared one (queries/insert.ts), run here as a prepared statement bound by position: through
   * the work driver each enqueue cost about 1.5 µs more, through its named binding 0.5 µs (an
   * insert takes 27 µs on a WAL file, 5 µs in memory).
   */
  insert(m: NewMessage): boolean {
    return this.insertStatement.run(...this.bindInsert(m)).changes === 1;
  }

  /**
   * Sets the channels that have a deliverer. Their names are bound as a plain `IN (?, …)` list,
   * which SQLite evaluates far cheaper per row than a json_each() subquery.
   */
  setChannels(channels: readonly string[]): void {
    if (channels.length !== this.channels.length) this.routed = channels.length === 0 ? NONE : prepareRouted(this.db, channels.length);
    this.channels = [...channels];
  }

  /**
   * The statement with `LIMIT n` written out. A bound `LIMIT ?` costs SQLite about 15 µs more
   * per run on these queries (measured: 20 µs against 5 µs for one row), and the claim runs on
   * every tick; limits are at most the outbox's concurrency, so the cache stays small.
   */
  private limited(cache: Map<number, Statement>, limit: number, sql: () => string): Statement {
    const n = Math.trunc(limit);
    let st = cache.get(n);
    if (st === undefined) {
      st = this.db.prepare(`${sql()} LIMIT ${n}`);
      cache.set(n, st);
    }
    return st;
  }

  /**
   * Claims up to `limit` due pending messages of the routable channels, earliest due first
   * (pending → delivering, attempts + 1, lease until `leaseUntil`). Call inside a transaction.
   * A SELECT then an UPDATE by rowid each: SQLite does this faster than one UPDATE whose
   * subquery walks the index the UPDATE is rewriting.
   */
  claimPending(limit: number, now: number, leaseUntil: number, owner: string): MessageRow[] {
    if (this.routed === NONE || limit < 1) return [];
    const routed = this.routed;
    const select = this.limited(routed.duePending, limit, () => `SELECT * FROM ${PENDING} AND due_at <= ? AND ${routed.routable} ORDER BY due_at, seq`);
    const rows = select.all(now, ...this.channels) as MessageRow[];
    for (const row of rows) {
      this.s.claim.run(leaseUntil, now, owner, now, row.seq);
      row.state = 'delivering';
      row.attempts += 1;
      row.due_at = leaseUntil;
      row.claimed_at = now;
      row.claimed_by = owner;
      row.updated_at = now;
    }
    return rows;
  }

  /** Delivering messages of the routable channels whose claim lapsed (their process died or stalled). */
  lapsed(now: number, limit: number): MessageRow[] {
    if (this.routed === NONE || limit < 1) return [];
    const routed = this.routed;
    const select = this.limited(routed.lapsed, limit, () => `SELECT * FROM ${DELIVERING} AND due_at <= ? AND ${routed.routable} ORDER BY due_at, seq`);
    return select.all(now, ...this.channels) as MessageRow[];
  }

  /** Claims one message (used when taking over a lapsed claim). */
  claim(seq: number, leaseUntil: number, now: number, owner: string): void {
    this.s.claim.run(leaseUntil, now, owner, now, seq);
  }

  /** Returns false when the claim was lost (lease lapsed and another process took the message). */
  markDelivered(id: string, owner: string, now: number, statusCode: number | null): boolean {
    return this.s.delivered.run(now, now, now, statusCode, id, owner).changes === 1;
  }

  /** `owner` null: whoever holds it (used for lapsed claims of a dead process). */
  markPending(id: string, owner: string | null, dueAt: number, now: number, error: string | null, statusCode: number | null): boolean {
    return this.s.reschedule.run(dueAt, now, error, statusCode, id, owner, owner).changes === 1;
  }

  markDead(id: string, owner: string | null, now: number, error: string | null, statusCode: number | null): boolean {
    return this.s.dead.run(now, now, error, statusCode, id, owner, owner).changes === 1;
  }

  recordAttempt(a: NewAttempt): void {
    this.s.attempt.run(a);
  }

  /** Earliest due time (pending) or lease end (delivering) among routable messages. */
  nextDue(): number | undefined {
    if (this.routed === NONE) return undefined;
    const row = this.routed.nextDue.get(...this.channels, ...this.channels) as { due: number | null };
    return row.due ?? undefined;
  }

  hasDue(now: number): boolean {
    if (this.routed === NONE) return false;
    return this.routed.hasDue.get(now, ...this.channels, now, ...this.channels) === 1;
  }

  hasActive(): boolean {
    if (this.routed === NONE) return false;
    return this.routed.hasActive.get(...this.channels, ...this.channels) === 1;
  }

  /** Due messages per channel that has no deliverer (the shared query: it runs at most once a second). */
  unroutable(now: number): UnroutableRow[] {
    const { sql, k } = sqliteQueries(this.db);
    return sql.runSync(unroutableCounts(k, this.channels, now));
  }
}
