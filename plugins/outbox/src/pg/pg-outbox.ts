import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import { uuidv7 } from '@plugboard/core';
import { resolveBackoff } from '../backoff';
import { consoleLogger } from '../console-logger';
import { SqlDatabase, type PgListener } from '@plugboard/sql';
import type { DurableOutbox } from '../durable-outbox';
import { OutboxError } from '../errors';
import { migrateOutbox } from '../schema/migrate';
import type { OutboxTables } from '../schema/tables';
import { toMessage } from '../message-row';
import type { AttemptRecord, BackoffOptions, Deliverer, DrainOptions, EnqueueOptions, ListFilter, OutboxEvents, OutboxLogger, OutboxMessage, OutboxState, PurgeOptions, QueuedMessage, StopOptions } from '../types';
import { messagesWithMeta } from '../queries/by-meta';
import { countMessages } from '../queries/counts';
import { insertMessages, type StoredMessage } from '../queries/insert';
import { listMessages } from '../queries/list';
import { messageAttempts, messageById } from '../queries/lookup';
import { purgeMessages } from '../queries/purge';
import { retryMessage } from '../queries/retry';
import { unroutableCounts } from '../queries/unroutable';
import { UnroutableReport } from '../delivery/unroutable-report';
import { connectPostgres, isPostgresKysely } from './pg-connect';
import { PgLoop } from './pg-loop';
import { listenForWakeups, wakeWorkers } from './pg-wakeups';
import type { Emission } from './pg-outcome';
import { poolRunner } from './pg-cycle';
import { PgStore } from './pg-store';
import { positive } from './pg-options';
import { retryTransient } from './pg-transient';
import { enqueueInput } from '../message-input';

/** Options of {@link PgOutbox}. */
export interface PgOutboxOptions {
  /**
   * A `postgres://` URL (the outbox opens a pool of its own and closes it in `close()`) or a
   * Kysely instance on PostgresDialect (shared with the host; then pass `listenUrl` for wake-ups).
   */
  readonly database: string | Kysely<unknown>;
  /** URL of the LISTEN connection when `database` is a Kysely instance; without it the loop wakes only on its own enqueues and timers. */
  readonly listenUrl?: string;
  readonly backoff?: BackoffOptions;
  /** Deliveries in flight at once in this process. Default 8. */
  readonly concurrency?: number;
  /** Time limit of one attempt. Default 60 000. */
  readonly attemptTimeoutMs?: number;
  /** How long a claim belongs to this process; after it, another process takes the message over. Default `attemptTimeoutMs + 30 000`. */
  readonly leaseMs?: number;
  /** Longest sleep while idle (the only time an idle worker queries, to find lapsed leases of dead processes). Default 60 000. */
  readonly idleCheckMs?: number;
  /** Wait before retrying after a failed cycle (PostgreSQL restarting). Default 500. */
  readonly retryMs?: number;
  readonly logger?: OutboxLogger;
}

/**
 * Durable outbox on PostgreSQL, shared by any number of processes: claims with `FOR UPDATE SKIP
 * LOCKED` under a lease, wake-ups by `LISTEN/NOTIFY` (no polling when idle), reconnection after a
 * server restart. Same messages, states, events and backoff as the SQLite {@link Outbox}; the
 * calls that touch the database return promises.
 *
 * @example
 * ```ts
 * const outbox = await PgOutbox.open({ database: 'postgres://app@db.internal/app', leaseMs: 30_000, attemptTimeoutMs: 20_000 });
 * outbox.register('smtp', async (msg) => ({ detail: (await transport.sendMail(msg.payload)).response }));
 * outbox.start();
 * await outbox.enqueue('smtp', { to: 'a@example.org', subject: 'Hi', text: '…' });
 * ```
 */
export class PgOutbox extends EventEmitter<OutboxEvents> implements DurableOutbox {
  private readonly deliverers = new Map<string, Deliverer>();
  private readonly loop: PgLoop;
  private readonly logger: OutboxLogger;
  private readonly unroutable: UnroutableReport;
  private unroutableTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    /** The Kysely instance the outbox queries through. */
    readonly db: Kysely<OutboxTables>,
    private readonly store: PgStore,
    /** Runs the queries written once for both dialects (queries/), awaited. */
    private readonly sql: SqlDatabase,
    private readonly pool: Pool | undefined,
    private listener: PgListener | undefined,
    options: PgOutboxOptions,
  ) {
    super();
    const attemptTimeoutMs = positive('attemptTimeoutMs', options.attemptTimeoutMs ?? 60_000);
    const leaseMs = positive('leaseMs', options.leaseMs ?? attemptTimeoutMs + 30_000);
    if (leaseMs <= attemptTimeoutMs) {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `leaseMs (${leaseMs}) must be greater than attemptTimeoutMs (${attemptTimeoutMs}), or a slow attempt could be delivered twice concurrently; raise leaseMs.`);
    }
    const logger = options.logger ?? consoleLogger;
    this.logger = logger;
    this.unroutable = new UnroutableReport(undefined, logger, (e) => this.safeEmit(e, logger), 1000);
    this.loop = new PgLoop({
      db, store, owner: randomUUID(), backoff: resolveBackoff(options.backoff), logger, leaseMs, attemptTimeoutMs,
      concurrency: positive('concurrency', options.concurrency ?? 8, true),
      idleCheckMs: positive('idleCheckMs', options.idleCheckMs ?? 60_000),
      retryMs: positive('retryMs', options.retryMs ?? 500),
      deliverers: this.deliverers,
      ...(pool !== undefined ? { run: poolRunner(pool) } : {}),
      emit: (e) => this.safeEmit(e, logger),
    });
  }

  /**
   * Connects, migrates the outbox tables (the shared migrator, locked: several processes may start
   * at once) and starts listening for NOTIFY.
   *
   * @example
   * ```ts
   * const outbox = await PgOutbox.open({ database: process.env.PLUGBOARD_DATABASE_URL ?? 'postgres://localhost/app' });
   * ```
   */
  static async open(options: PgOutboxOptions): Promise<PgOutbox> {
    const logger = options.logger ?? consoleLogger;
    const { db, pool } = typeof options.database === 'string' ? connectPostgres(options.database, (options.concurrency ?? 8) + 2, logger) : { db: asPg(options.database), pool: undefined };
    let sqlDb: SqlDatabase;
    try {
      sqlDb = await SqlDatabase.open(db as Kysely<unknown>, { logger });
      await migrateOutbox(sqlDb);
    } catch (err) {
      if (pool !== undefined) await db.destroy();
      if (isOutboxError(err)) throw err;
      throw new OutboxError('PB_OUTBOX_DATABASE', `PostgreSQL refused the outbox (${err instanceof Error ? err.message : String(err)}); check the URL and that the server runs.`, { cause: err });
    }
    const outbox = new PgOutbox(db, new PgStore(db), sqlDb, pool, undefined, options);
    const url = typeof options.database === 'string' ? options.database : options.listenUrl;
    if (url !== undefined) {
      try {
        outbox.listener = await listenForWakeups(url, db as Kysely<unknown>, logger, () => outbox.loop.kick(), options.retryMs || undefined);
      } catch (err) {
        await outbox.close();
        throw new OutboxError('PB_OUTBOX_DATABASE', `The outbox could not LISTEN on PostgreSQL (${err instanceof Error ? err.message : String(err)}); check the URL.`, { cause: err });
      }
    }
    return outbox;
  }

  /** Registers the deliverer of a channel; returns a function that unregisters it. */
  register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    this.assertOpen();
    if (this.deliverers.has(channel)) {
      throw new OutboxError('PB_OUTBOX_DUPLICATE_CHANNEL', `Channel "${channel}" already has a deliverer; call the function returned by register() first to replace it.`);
    }
    const fn = deliverer as Deliverer;
    this.deliverers.set(channel, fn);
    this.loop.kick();
    return () => {
      if (this.deliverers.get(channel) === fn) this.deliverers.delete(channel);
    };
  }

  /** Channels that have a deliverer in this process. */
  channels(): string[] {
    return [...this.deliverers.keys()];
  }

  /** Stores a message (committed when this resolves); every idle worker is woken by NOTIFY. */
  async enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): Promise<OutboxMessage<P>> {
    return (await this.enqueueAll([{ channel, payload, options }]))[0] as OutboxMessage<P>;
  }

  /** Stores every message or none, in one transaction; resolves once committed. */
  async enqueueAll(messages: readonly QueuedMessage[]): Promise<OutboxMessage[]> {
    this.assertOpen();
    const now = Date.now();
    const rows = messages.map(({ channel, payload, options = {} }) => {
      const { json, metaJson, dedupeKey, delayMs } = enqueueInput(channel, payload, options);
      return { id: uuidv7(), channel, payload: json, meta: metaJson, dedupeKey, dueAt: now + Math.round(delayMs), now };
    });
    // A server restart must not lose the message of a rule that ran meanwhile: retried until it is back.
    // One message is one INSERT, atomic already; several are all or none.
    const write = (): Promise<StoredMessage[]> => (rows.length === 1 ? this.sql.run(insertMessages(this.db, rows)) : this.sql.transact(insertMessages(this.db, rows)));
    const out = await retryTransient(write, this.logger);
    // The insert's NOTIFY wakes this loop too when it listens: kicking as well made a second cycle per message.
    if (this.listener === undefined) this.loop.kick();
    if (this.loop.running && rows.some((m) => !this.deliverers.has(m.channel))) this.checkUnroutable();
    return out.map((s) => toMessage(s.row));
  }

  /** Starts the delivery loop (idempotent). */
  start(): void {
    this.assertOpen();
    this.loop.running = true;
    this.loop.kick();
    if (this.unroutableTimer === undefined) {
      this.checkUnroutable();
      // Once a minute is the log's own rate per channel; an idle outbox otherwise makes no query.
      this.unroutableTimer = setInterval(() => this.checkUnroutable(), 60_000).unref();
    }
  }

  get isRunning(): boolean { return this.loop.running; } // prettier-ignore

  /** Stops claiming and waits for attempts in flight (aborted after `timeoutMs`, then pending again). */
  async stop(options: StopOptions = {}): Promise<void> {
    clearInterval(this.unroutableTimer);
    this.unroutableTimer = undefined;
    await this.loop.stop(options.timeoutMs ?? 10_000);
  }

  /** {@link stop}, then closes the LISTEN connection and the pool if the outbox opened it. */
  async close(options: StopOptions = {}): Promise<void> {
    if (this.closed) return;
    await this.stop(options);
    this.closed = true;
    this.loop.close();
    await this.listener?.close();
    if (this.pool !== undefined) await this.db.destroy();
  }

  /** Delivers until nothing due is left (or, with `includeScheduled`, nothing active). */
  async drain(options: DrainOptions = {}): Promise<void> {
    this.assertOpen();
    const done = this.loop.drain(options.includeScheduled ?? false);
    if (options.timeoutMs === undefined) return done;
    let timer: NodeJS.Timeout | undefined;
    const ms = options.timeoutMs;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new OutboxError('PB_OUTBOX_DRAIN_TIMEOUT', `drain() gave up after ${ms} ms with messages still due; see outbox.list({ state: 'pending' }).`)), ms)));
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async get<P = unknown>(id: string): Promise<OutboxMessage<P> | undefined> {
    const row = await this.sql.run(messageById(this.db, id));
    return row === undefined ? undefined : toMessage<P>(row);
  }

  async list<P = unknown>(filter: ListFilter = {}): Promise<OutboxMessage<P>[]> {
    return (await this.sql.run(listMessages(this.db, filter))).map((r) => toMessage<P>(r));
  }

  counts(): Promise<Record<OutboxState, number>> {
    return this.sql.run(countMessages(this.db));
  }

  attempts(id: string): Promise<AttemptRecord[]> {
    return this.sql.run(messageAttempts(this.db, id));
  }

  /** Dead → pending (attempts reset), or pending → due now; then wakes the workers of every process. */
  async retry<P = unknown>(id: string): Promise<OutboxMessage<P>> {
    this.assertOpen();
    const updated = await this.sql.transact(retryMessage(this.db, id, Date.now()));
    await wakeWorkers(this.db);
    this.loop.kick();
    return toMessage<P>(updated);
  }

  /** Deletes delivered (and optionally dead) messages with their attempts; resolves with how many went. */
  async purge(options: PurgeOptions = {}): Promise<number> {
    this.assertOpen();
    return this.sql.transact(purgeMessages(this.db, options, Date.now()));
  }

  /** Messages whose meta has `key` = `value`, newest first (e.g. what a rule queued: `('ruleId', '7')`). */
  async messagesByMeta(key: string, value: string, limit = 100): Promise<OutboxMessage[]> {
    return (await this.sql.run(messagesWithMeta(this.db, 'postgres', key, value, limit))).map((r) => toMessage(r));
  }

  /** Reports due messages of channels without a deliverer here (they stay pending): log and `unroutable`. */
  private checkUnroutable(): void {
    const now = Date.now();
    this.sql.run(unroutableCounts(this.db, this.channels(), now)).then(
      (rows) => this.unroutable.publish(rows, now),
      (err: unknown) => this.logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `Looking for messages without a deliverer failed; looked again in a minute.`),
    );
  }

  /** A throwing listener must not break the loop (the outcome is already committed). */
  private safeEmit(e: Emission, logger: OutboxLogger): void {
    try {
      const [event, ...args]: readonly unknown[] = e;
      (this.emit as (event: unknown, ...args: unknown[]) => boolean)(event, ...args);
    } catch (err) {
      logger.error({ code: 'PB_OUTBOX_LISTENER', event: e[0], err }, `A listener of outbox event "${e[0]}" threw. Listeners must not throw.`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new OutboxError('PB_OUTBOX_CLOSED', 'The outbox is closed; open a new PgOutbox to use the database again.');
  }
}

function asPg(db: Kysely<unknown>): Kysely<OutboxTables> {
  if (!isPostgresKysely(db)) throw new OutboxError('PB_OUTBOX_DATABASE', 'PgOutbox needs a Kysely instance on PostgresDialect; for SQLite use new Outbox({ database }).');
  return db as unknown as Kysely<OutboxTables>;
}

function isOutboxError(err: unknown): err is OutboxError {
  return err instanceof OutboxError;
}
