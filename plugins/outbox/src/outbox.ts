import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { uuidv7 } from '@plugboard/core';
import type { Database } from 'better-sqlite3';
import type { DurableOutbox } from './durable-outbox';
import { SqliteLoop } from './delivery/sqlite-loop';
import { emitSafely } from './delivery/safe-emit';
import { OutboxError } from './errors';
import { checkChannel, checkDeliverer, enqueueInput } from './message-input';
import { messagesByMeta } from './messages-by-meta';
import { openOutboxDatabase } from './outbox-database';
import { resolveOutboxSettings, type OutboxOptions } from './outbox-options';
import { toMessage } from './message-row';
import { countMessages } from './queries/counts';
import { conflictingMessage } from './queries/insert';
import { listMessages } from './queries/list';
import { messageAttempts, messageById } from './queries/lookup';
import { sqliteQueries, type SqliteQueries } from './queries/on-sqlite';
import { purgeMessages } from './queries/purge';
import { retryMessage } from './queries/retry';
import { OutboxStore } from './store';
import type { WalCheckpointer } from './wal-checkpointer';
import type {
  AttemptRecord,
  Deliverer,
  DrainOptions,
  EnqueueOptions,
  ListFilter,
  OutboxEvents,
  OutboxLogger,
  OutboxMessage,
  OutboxState,
  PurgeOptions,
  QueuedMessage,
  StopOptions,
} from './types';

/**
 * Durable outbox on SQLite: messages are written synchronously (in the host's transaction if it
 * has one), then delivered in the background by the deliverer registered for their channel, at
 * least once, with exponential backoff and jitter, into a dead-letter state after a permanent
 * failure or the last attempt. Survives crashes: a claimed message whose process died is taken
 * over when its lease lapses.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ database: new Database('app.db') });
 * outbox.register('smtp', async (msg, signal) => {
 *   const info = await transport.sendMail({ ...msg.payload, messageId: `<${msg.id}@example.org>` });
 *   return { detail: info.response };
 * });
 * outbox.start();
 * const { id } = outbox.enqueue('smtp', { to: 'a@example.org', subject: 'Hi', text: '…' });
 * outbox.on('delivered', (m) => console.log('sent', m.id));
 * ```
 */
export class Outbox extends EventEmitter<OutboxEvents> implements DurableOutbox {
  /** The connection used (the host's, or the one opened from the path). */
  readonly db: Database;
  private readonly ownsDb: boolean;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly store: OutboxStore;
  /** The queries written once for both dialects (queries/), run here synchronously. */
  private readonly q: SqliteQueries;
  private readonly logger: OutboxLogger;
  private readonly deliverers = new Map<string, Deliverer>();
  private readonly loop: SqliteLoop;
  private closed = false;

  constructor(options: OutboxOptions) {
    super();
    const settings = resolveOutboxSettings(options);
    this.logger = settings.logger;
    const opened = openOutboxDatabase(options.database, options.checkpoints ?? 'background', this.logger);
    this.db = opened.db;
    this.ownsDb = opened.ownsDb;
    this.checkpointer = opened.checkpointer;
    this.store = new OutboxStore(this.db);
    this.q = sqliteQueries(this.db);
    this.loop = new SqliteLoop({
      ...settings,
      db: this.db,
      store: this.store,
      // Identifies this instance's claims, so it never clobbers a claim another process took over.
      owner: randomUUID(),
      deliverers: this.deliverers,
      emit: (e) => emitSafely(this, this.logger, e),
    });
  }

  /**
   * Registers the deliverer of a channel. Messages of a channel without a deliverer stay pending
   * (and are reported in the log) until one is registered. Returns a function that unregisters it.
   *
   * @example
   * ```ts
   * outbox.register<WebhookPayload>('webhook', async (msg, signal) => {
   *   const res = await fetch(msg.payload.url, { method: 'POST', body: msg.payload.body, signal });
   *   if (res.status >= 500) throw new RetryableDeliveryError(`HTTP ${res.status}`, { statusCode: res.status });
   *   if (!res.ok) throw new PermanentDeliveryError(`HTTP ${res.status}`, { statusCode: res.status });
   *   return { statusCode: res.status };
   * });
   * ```
   */
  register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    this.assertOpen();
    checkChannel(channel);
    checkDeliverer(channel, deliverer, this.deliverers);
    const fn = deliverer as Deliverer;
    this.deliverers.set(channel, fn);
    this.store.setChannels([...this.deliverers.keys()]);
    this.loop.unroutable.forget(channel);
    this.loop.kick();
    return () => {
      if (this.deliverers.get(channel) !== fn) return;
      this.deliverers.delete(channel);
      this.store.setChannels([...this.deliverers.keys()]);
    };
  }

  /** Channels that have a deliverer in this process. */
  channels(): string[] {
    return [...this.deliverers.keys()];
  }

  /**
   * Stores a message (one synchronous INSERT, so it commits with the host's surrounding
   * transaction) and, when the loop runs, starts delivering it right away.
   *
   * @example
   * ```ts
   * db.transaction(() => {
   *   accounts.insert(account);
   *   outbox.enqueue('smtp', welcomeMail(account), { dedupeKey: `welcome:${account.id}` });
   * })();
   * ```
   */
  enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): OutboxMessage<P> {
    this.assertOpen();
    const { json, meta, metaJson, dedupeKey, delayMs } = enqueueInput(channel, payload, options);
    const now = Date.now();
    // Time-ordered (UUIDv7): each insert lands on the rightmost page of the id index (and of the
    // attempts index keyed by it) instead of a random one, so a commit dirties fewer pages.
    const id = uuidv7();
    const dueAt = now + Math.round(delayMs);
    const m = { id, channel, payload: json, meta: metaJson, dedupeKey, dueAt, now };
    if (!this.store.insert(m)) return toMessage<P>(this.q.sql.runSync(conflictingMessage(this.q.k, m)));
    if (!this.deliverers.has(channel)) this.loop.unroutable.wanted = true;
    this.loop.kick();
    return {
      id,
      channel,
      payload: JSON.parse(json) as P,
      state: 'pending',
      attempts: 0,
      meta: { ...meta },
      ...(dedupeKey !== null ? { dedupeKey } : {}),
      createdAt: new Date(now),
      updatedAt: new Date(now),
      nextAttemptAt: new Date(dueAt),
    };
  }

  /** Stores every message or none, in one transaction (a savepoint inside the host's); one message is one INSERT, atomic already. */
  enqueueAll(messages: readonly QueuedMessage[]): OutboxMessage[] {
    const each = (): OutboxMessage[] => messages.map((m) => this.enqueue(m.channel, m.payload, m.options));
    return messages.length < 2 ? each() : this.db.transaction(each)();
  }

  /**
   * Starts the background delivery loop (idempotent). Its timers are unref'd: it never keeps the process alive by itself.
   *
   * @example
   * ```ts
   * outbox.register('smtp', deliverMail);
   * outbox.start();
   * ```
   */
  start(): void {
    this.assertOpen();
    this.loop.start();
  }

  /** Whether the background loop runs. */
  get isRunning(): boolean {
    return this.loop.running;
  }

  /**
   * Stops claiming new messages and waits for deliveries in flight; after `timeoutMs` their
   * signals are aborted and they are put back as pending (due at once) for the next start.
   * Pending `drain()` calls reject with `PB_OUTBOX_STOPPED`.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void outbox.stop({ timeoutMs: 5000 }).then(() => process.exit(0)));
   * ```
   */
  async stop(options: StopOptions = {}): Promise<void> {
    await this.loop.stop(options.timeoutMs ?? 10_000);
  }

  /** {@link stop}, then closes the database if the outbox opened it. Further calls fail with `PB_OUTBOX_CLOSED`. */
  async close(options: StopOptions = {}): Promise<void> {
    if (this.closed) return;
    await this.stop(options);
    this.closed = true;
    this.loop.close();
    await this.checkpointer?.stop();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  /**
   * Delivers until nothing due is left (pending, or delivering under a lapsed claim), working even
   * if `start()` was not called (for tests and CLIs). Messages of channels without a deliverer are
   * not waited for. With `includeScheduled`, also waits for later retries and delayed messages.
   *
   * @example
   * ```ts
   * outbox.enqueue('smtp', mail);
   * await outbox.drain();
   * expect(smtpServer.received).toHaveLength(1);
   * ```
   */
  drain(options: DrainOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return this.loop.drain(options);
  }

  /** One message by id, or undefined. */
  get<P = unknown>(id: string): OutboxMessage<P> | undefined {
    const row = this.q.sql.runSync(messageById(this.q.k, id));
    return row === undefined ? undefined : toMessage<P>(row);
  }

  /**
   * Messages, newest first, optionally by state and channel (default limit 100).
   *
   * @example
   * ```ts
   * const deadLetters = outbox.list({ state: 'dead', channel: 'smtp', limit: 20 });
   * ```
   */
  list<P = unknown>(filter: ListFilter = {}): OutboxMessage<P>[] {
    return this.q.sql.runSync(listMessages(this.q.k, filter)).map((r) => toMessage<P>(r));
  }

  /** Number of messages per state. */
  counts(): Record<OutboxState, number> {
    return this.q.sql.runSync(countMessages(this.q.k));
  }

  /**
   * Every recorded attempt of a message, oldest first (empty for an unknown id).
   *
   * @example
   * ```ts
   * for (const a of outbox.attempts(id)) console.log(a.attempt, a.outcome, a.statusCode, a.error, a.nextAttemptAt);
   * ```
   */
  attempts(id: string): AttemptRecord[] {
    return this.q.sql.runSync(messageAttempts(this.q.k, id));
  }

  /**
   * Dead → pending with the attempt counter reset (history kept); a pending message becomes
   * due now. Delivering or delivered messages cannot be retried.
   *
   * @example
   * ```ts
   * for (const m of outbox.list({ state: 'dead', channel: 'smtp' })) outbox.retry(m.id);
   * ```
   */
  retry<P = unknown>(id: string): OutboxMessage<P> {
    this.assertOpen();
    const updated = this.q.sql.transactSync(retryMessage(this.q.k, id, Date.now()));
    this.loop.kick();
    return toMessage<P>(updated);
  }

  /** Deletes delivered (and optionally dead) messages with their attempts; returns how many messages went. */
  purge(options: PurgeOptions = {}): number {
    this.assertOpen();
    return this.q.sql.transactSync(purgeMessages(this.q.k, options, Date.now()));
  }

  /** Messages whose meta has `key` = `value`, newest first (see {@link messagesByMeta}). */
  messagesByMeta(key: string, value: string, limit = 100): OutboxMessage[] {
    return messagesByMeta(this, key, value, limit);
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
    if (!this.db.open) throw new OutboxError('PB_OUTBOX_CLOSED', 'The outbox database is closed; open a new Outbox on an open database.');
  }
}

function closedError(): OutboxError {
  return new OutboxError('PB_OUTBOX_CLOSED', 'The outbox is closed; create a new Outbox to use the database again.');
}
