import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { uuidv7 } from '@plugboard/core';
import type { Database, Transaction } from 'better-sqlite3';
import { resolveBackoff, retryDelay, type ResolvedBackoff } from './backoff';
import { consoleLogger } from './console-logger';
import { traceAttempt, withTraceContext } from './delivery-tracing';
import { failureFacts, OutboxError } from './errors';
import { migrate } from './migrations';
import { OutboxStore, toMessage, type MessageRow } from './store';
import { isCheckpointMode, WalCheckpointer, type CheckpointMode } from './wal-checkpointer';
import type {
  AttemptRecord,
  BackoffOptions,
  Deliverer,
  DeliveryReceipt,
  DrainOptions,
  EnqueueOptions,
  ListFilter,
  OutboxEvents,
  OutboxLogger,
  OutboxMessage,
  OutboxState,
  PurgeOptions,
  StopOptions,
} from './types';

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /**
   * The host's better-sqlite3 database (shared, so enqueue can join the host's transaction), or
   * a file path: then the outbox owns the connection, switches it to WAL and closes it in `close()`.
   */
  readonly database: Database | string;
  readonly backoff?: BackoffOptions;
  /** Deliveries in flight at once, over all channels. Default 8. */
  readonly concurrency?: number;
  /**
   * How often the store is polled for messages that became due (retries, other processes'
   * enqueues, lapsed claims). Enqueues in this process start delivery at once. Default 200 ms.
   */
  readonly pollIntervalMs?: number;
  /** Time limit of one attempt; then its signal is aborted and the attempt counts as a retryable failure. Default 60 000. */
  readonly attemptTimeoutMs?: number;
  /**
   * How long a claim stays valid. A message left `delivering` by a crashed process becomes due
   * again when its lease lapses. Must exceed `attemptTimeoutMs`. Default `attemptTimeoutMs + 30 000`.
   */
  readonly leaseMs?: number;
  /** pino-compatible logger. Default: warnings and errors to the console. */
  readonly logger?: OutboxLogger;
  /**
   * Only when `database` is a path: `background` (default) runs WAL checkpoints in a worker
   * thread ({@link WalCheckpointer}), `sqlite` leaves them to SQLite inside commits. A host that
   * passes its own connection chooses for itself (see WalCheckpointer).
   */
  readonly checkpoints?: CheckpointMode;
}

interface InFlight {
  readonly row: MessageRow;
  readonly message: OutboxMessage;
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  abortKind?: 'timeout' | 'stopped';
  /** The attempt settled; aborting it now would mislabel its outcome. */
  done?: boolean;
}

type Completion =
  | { readonly entry: InFlight; readonly finishedAt: number; readonly ok: true; readonly receipt?: DeliveryReceipt }
  | { readonly entry: InFlight; readonly finishedAt: number; readonly ok: false; readonly error: unknown };

interface Drainer {
  readonly includeScheduled: boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/** What one tick's transaction did: outcomes recorded, messages claimed, takeovers of lapsed claims. */
interface Cycle {
  readonly recorded: Emission[];
  readonly claimed: MessageRow[];
  readonly emissions: Emission[];
}

type Emission = { [E in keyof OutboxEvents]: [E, ...OutboxEvents[E]] }[keyof OutboxEvents];

const MAX_ERROR_CHARS = 2000;
const UNROUTABLE_LOG_EVERY_MS = 60_000;

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
export class Outbox extends EventEmitter<OutboxEvents> {
  /** The connection used (the host's, or the one opened from the path). */
  readonly db: Database;
  private readonly ownsDb: boolean;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly store: OutboxStore;
  private readonly backoff: ResolvedBackoff;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly logger: OutboxLogger;
  /** Identifies this instance's claims, so it never clobbers a claim another process took over. */
  private readonly owner = randomUUID();

  private readonly deliverers = new Map<string, Deliverer>();
  private readonly inFlight = new Map<string, InFlight>();
  private completions: Completion[] = [];
  private readonly drainers = new Set<Drainer>();
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private closed = false;
  private tickQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastUnroutableCheck = 0;
  /**
   * Lapsed claims only exist after another process died or stalled past its lease, so the scan
   * for them runs on the poll timer and at most once per poll interval otherwise, not on every
   * enqueue or completion.
   */
  private lastLapsedScan = Number.NEGATIVE_INFINITY;
  private lapsedScanWanted = true;
  /** The check counts every due row of unknown channels, so it runs at most once a second. */
  private readonly unroutableCheckEveryMs: number;
  private unroutableCheckWanted = false;
  private readonly unroutableLoggedAt = new Map<string, number>();
  private readonly cycleTx: Transaction<(batch: readonly Completion[], limit: number, now: number) => Cycle>;

  constructor(options: OutboxOptions) {
    super();
    this.backoff = resolveBackoff(options.backoff);
    this.concurrency = positiveInt('concurrency', options.concurrency ?? 8);
    this.pollIntervalMs = positiveNumber('pollIntervalMs', options.pollIntervalMs ?? 200);
    this.attemptTimeoutMs = positiveNumber('attemptTimeoutMs', options.attemptTimeoutMs ?? 60_000);
    this.leaseMs = positiveNumber('leaseMs', options.leaseMs ?? this.attemptTimeoutMs + 30_000);
    if (this.leaseMs <= this.attemptTimeoutMs) {
      throw new OutboxError(
        'PB_OUTBOX_INVALID_OPTIONS',
        `leaseMs (${this.leaseMs}) must be greater than attemptTimeoutMs (${this.attemptTimeoutMs}), or a slow attempt could be delivered twice concurrently; raise leaseMs.`,
      );
    }
    this.logger = options.logger ?? consoleLogger;
    this.unroutableCheckEveryMs = Math.max(this.pollIntervalMs, 1000);

    if (typeof options.database === 'string') {
      this.db = new BetterSqlite3(options.database);
      this.ownsDb = true;
      // WAL lets readers (admin API, CLI) work while deliveries commit; NORMAL sync is durable
      // against process crashes, which is what the outbox promises, at a fraction of FULL's cost.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
    } else {
      if (!options.database.open) {
        throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', 'The database passed to Outbox is closed; pass an open better-sqlite3 Database or a file path.');
      }
      this.db = options.database;
      this.ownsDb = false;
    }
    try {
      migrate(this.db);
    } catch (err) {
      if (this.ownsDb) this.db.close();
      throw err;
    }
    const checkpoints = options.checkpoints ?? 'background';
    if (!isCheckpointMode(checkpoints)) {
      if (this.ownsDb) this.db.close();
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `checkpoints must be "background" or "sqlite" (got ${JSON.stringify(checkpoints)}).`);
    }
    // An in-memory path has no WAL; nothing to move off the main thread.
    this.checkpointer = this.ownsDb && checkpoints === 'background' && !this.db.memory ? this.startCheckpointer() : undefined;
    this.store = new OutboxStore(this.db);
    this.cycleTx = this.db.transaction((batch: readonly Completion[], limit: number, now: number): Cycle => {
      const recorded = batch.map((c) => this.record(c));
      const { rows, emissions } = limit > 0 ? this.claimDue(limit, now) : { rows: [], emissions: [] };
      return { recorded, claimed: rows, emissions };
    });
  }

  /** A database that cannot have one (no WAL) keeps SQLite's own checkpoints: slower commits, same guarantees. */
  private startCheckpointer(): WalCheckpointer | undefined {
    try {
      return WalCheckpointer.start(this.db, { logger: this.logger });
    } catch (err) {
      this.logger.warn({ code: 'PB_OUTBOX_CHECKPOINT', file: this.db.name, err }, `WAL checkpoints stay inside commits: ${errorMessage(err)}`);
      return undefined;
    }
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
    if (typeof deliverer !== 'function') {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `The deliverer of channel "${channel}" must be a function.`);
    }
    if (this.deliverers.has(channel)) {
      throw new OutboxError(
        'PB_OUTBOX_DUPLICATE_CHANNEL',
        `Channel "${channel}" already has a deliverer; call the function returned by register() first to replace it.`,
      );
    }
    const fn = deliverer as Deliverer;
    this.deliverers.set(channel, fn);
    this.store.setChannels([...this.deliverers.keys()]);
    this.unroutableLoggedAt.delete(channel);
    this.kick();
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
    checkChannel(channel);
    const json = serialise(channel, payload);
    const delayMs = options.delayMs ?? 0;
    if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `delayMs must be a finite number ≥ 0 (got ${String(delayMs)}).`);
    }
    const meta = withTraceContext(options.meta ?? {});
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') {
        throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `meta.${k} must be a string (got ${typeof v}); convert it before enqueuing.`);
      }
    }
    const metaJson = Object.keys(meta).length > 0 ? JSON.stringify(meta) : null;
    const dedupeKey = options.dedupeKey ?? null;
    const now = Date.now();
    // Time-ordered (UUIDv7): each insert lands on the rightmost page of the id index (and of the
    // attempts index keyed by it) instead of a random one, so a commit dirties fewer pages.
    const id = uuidv7();
    const dueAt = now + Math.round(delayMs);
    const inserted = this.store.insert({ id, channel, payload: json, meta: metaJson, dedupeKey, dueAt, now });
    if (!inserted) {
      const existing = dedupeKey === null ? undefined : this.store.getByDedupe(channel, dedupeKey);
      if (existing === undefined) {
        throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The message for channel "${channel}" could not be stored; retry the enqueue.`);
      }
      return toMessage<P>(existing);
    }
    if (!this.deliverers.has(channel)) this.unroutableCheckWanted = true;
    this.kick();
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
    if (this.running) return;
    this.running = true;
    this.unroutableCheckWanted = true;
    this.lapsedScanWanted = true;
    this.kick();
  }

  /** Whether the background loop runs. */
  get isRunning(): boolean {
    return this.running;
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
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.running = false;
    this.clearTimer();
    for (const d of [...this.drainers]) {
      this.finishDrainer(d);
      d.reject(new OutboxError('PB_OUTBOX_STOPPED', 'The outbox was stopped while drain() was waiting; call start() or drain() again.'));
    }
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const idle = await Promise.race([this.whenIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (!idle) return;
    for (const entry of this.inFlight.values()) this.abort(entry, 'stopped');
    await this.whenIdle();
  }

  /** {@link stop}, then closes the database if the outbox opened it. Further calls fail with `PB_OUTBOX_CLOSED`. */
  async close(options: StopOptions = {}): Promise<void> {
    if (this.closed) return;
    await this.stop(options);
    this.closed = true;
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
    return new Promise<void>((resolve, reject) => {
      const drainer: Drainer = { includeScheduled: options.includeScheduled ?? false, resolve, reject };
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        drainer.timer = setTimeout(() => {
          this.finishDrainer(drainer);
          reject(new OutboxError('PB_OUTBOX_DRAIN_TIMEOUT', `drain() gave up after ${ms} ms with messages still due; see outbox.list({ state: 'pending' }).`));
        }, ms);
      }
      this.drainers.add(drainer);
      this.lapsedScanWanted = true;
      this.kick();
    });
  }

  /** One message by id, or undefined. */
  get<P = unknown>(id: string): OutboxMessage<P> | undefined {
    const row = this.store.get(id);
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
    const limit = filter.limit ?? 100;
    if (!(Number.isInteger(limit) && limit >= 0)) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `list limit must be an integer ≥ 0 (got ${limit}).`);
    return this.store.list({ ...filter, limit }).map((r) => toMessage<P>(r));
  }

  /** Number of messages per state. */
  counts(): Record<OutboxState, number> {
    return this.store.counts();
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
    return this.store.attempts(id);
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
    const row = this.store.get(id);
    if (row === undefined) {
      throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `No outbox message has id "${id}"; list messages with outbox.list().`);
    }
    const now = Date.now();
    const changed =
      row.state === 'dead' ? this.store.revive(id, now) : row.state === 'pending' ? this.store.hurry(id, now) : false;
    if (!changed) {
      throw new OutboxError(
        'PB_OUTBOX_NOT_RETRYABLE',
        `Message "${id}" is ${row.state}; only dead or pending messages can be retried.`,
      );
    }
    this.kick();
    const updated = this.store.get(id);
    if (updated === undefined) throw new OutboxError('PB_OUTBOX_UNKNOWN_MESSAGE', `Message "${id}" disappeared while being retried (purged?).`);
    return toMessage<P>(updated);
  }

  /** Deletes delivered (and optionally dead) messages with their attempts; returns how many messages went. */
  purge(options: PurgeOptions = {}): number {
    this.assertOpen();
    const states = options.states ?? ['delivered'];
    for (const s of states) {
      if (s !== 'delivered' && s !== 'dead') {
        throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `purge() only deletes delivered or dead messages (got "${String(s)}").`);
      }
    }
    const before = Date.now() - (options.olderThanMs ?? 0);
    return this.db.transaction(() => this.store.purge(JSON.stringify(states), before))();
  }

  // ---------------------------------------------------------------- loop

  private get active(): boolean {
    return !this.closed && (this.running || this.drainers.size > 0);
  }

  /** Coalesces wake-ups (many enqueues, many completions) into one tick. */
  private kick(): void {
    if (this.tickQueued || this.closed) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  private tick(): void {
    if (!this.db.open) {
      this.onDatabaseClosed();
      return;
    }
    if (this.db.inTransaction) {
      // The host holds a transaction open across an await: claiming now would join it (and be
      // rolled back with it), so wait until it commits.
      this.arm(5);
      return;
    }
    const batch = this.completions;
    this.completions = [];
    try {
      const now = Date.now();
      const active = this.active;
      // Slots held by the finished attempts in `batch` free up in this very transaction.
      const free = this.concurrency - this.inFlight.size + batch.length;
      const limit = active && this.deliverers.size > 0 ? Math.max(0, free) : 0;
      let cycle: Cycle = { recorded: [], claimed: [], emissions: [] };
      if (batch.length > 0 || limit > 0) {
        try {
          // One commit per tick for everything: outcomes of finished attempts and new claims.
          cycle = this.cycleTx.immediate(batch, limit, now);
        } catch (err) {
          this.completions = batch.concat(this.completions); // their claims still hold the messages
          throw err;
        }
      }
      for (const c of batch) this.inFlight.delete(c.entry.row.id);
      this.emitAll(cycle.recorded);
      this.emitAll(cycle.emissions);
      for (const row of cycle.claimed) this.deliver(row);
      if (this.inFlight.size === 0 && this.completions.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
      if (!this.active) return;
      if (this.unroutableCheckWanted || now - this.lastUnroutableCheck >= this.unroutableCheckEveryMs) this.checkUnroutable(now);
      this.settleDrainers(now);
      // A full batch means more may be due: the next completion (or the poll) comes back for them.
      const saturated = free <= 0 || (limit > 0 && cycle.claimed.length === limit);
      this.arm(saturated ? this.pollIntervalMs : this.delayToNextDue(now));
    } catch (err) {
      this.logger.error({ code: 'PB_OUTBOX_LOOP', err }, `Outbox loop failed (${errorMessage(err)}); retrying in ${this.pollIntervalMs} ms.`);
      this.arm(this.pollIntervalMs);
    }
  }

  private delayToNextDue(now: number): number {
    if (this.deliverers.size === 0) return this.pollIntervalMs;
    const next = this.store.nextDue();
    if (next === undefined) return this.pollIntervalMs;
    return Math.max(0, Math.min(this.pollIntervalMs, next - now));
  }

  private arm(delayMs: number): void {
    this.clearTimer();
    if (!this.active && this.completions.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lapsedScanWanted = true;
      this.tick();
    }, delayMs);
    // Unref'd so an idle outbox never keeps the process alive; but an awaited drain() must.
    if (this.drainers.size === 0) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Runs inside the tick's transaction: takes over lapsed claims (an index range that is empty
   * unless a process died), then claims due pending messages under a lease.
   */
  private claimDue(limit: number, now: number): { rows: MessageRow[]; emissions: Emission[] } {
    const emissions: Emission[] = [];
    const rows: MessageRow[] = [];
    if (this.lapsedScanWanted || now - this.lastLapsedScan >= this.pollIntervalMs) {
      this.lapsedScanWanted = false;
      this.lastLapsedScan = now;
      for (const row of this.store.lapsed(now, limit)) {
        if (this.inFlight.has(row.id)) continue;
        const taken = this.takeOver(row, now, emissions);
        if (taken !== undefined) rows.push(taken);
      }
    }
    if (rows.length < limit) rows.push(...this.store.claimPending(limit - rows.length, now, now + this.leaseMs, this.owner));
    return { rows, emissions };
  }

  /** A message claimed by a process that died (or stalled past its lease): its attempt is lost. */
  private takeOver(row: MessageRow, now: number, emissions: Emission[]): MessageRow | undefined {
    const startedAt = row.claimed_at ?? row.updated_at;
    const error = `Attempt ${row.attempts} was not finished: its claim lapsed at ${new Date(row.due_at).toISOString()} (the delivering process crashed, was killed or stalled).`;
    if (row.attempts >= this.backoff.maxAttempts) {
      this.store.markDead(row.id, null, now, error, null);
      this.store.recordAttempt(attemptRow(row, startedAt, now, 'dead', null, error, null, null));
      const dead = toMessage({ ...row, state: 'dead', updated_at: now, last_error: error });
      emissions.push(['dead', dead, { attempt: row.attempts, error: new Error(error), reason: 'max-attempts' }]);
      return undefined;
    }
    this.store.recordAttempt(attemptRow(row, startedAt, now, 'retry', null, error, null, now));
    emissions.push([
      'retry',
      toMessage({ ...row, state: 'pending', due_at: now, last_error: error }),
      { attempt: row.attempts, error: new Error(error), delayMs: 0, nextAttemptAt: new Date(now), reason: 'lease-expired' },
    ]);
    const leaseUntil = now + this.leaseMs;
    this.store.claim(row.seq, leaseUntil, now, this.owner);
    return {
      ...row,
      state: 'delivering',
      attempts: row.attempts + 1,
      due_at: leaseUntil,
      claimed_at: now,
      claimed_by: this.owner,
      updated_at: now,
      last_error: error,
    };
  }

  private deliver(row: MessageRow): void {
    const deliverer = this.deliverers.get(row.channel);
    const message = toMessage(row);
    const controller = new AbortController();
    const entry: InFlight = {
      row,
      message,
      controller,
      startedAt: row.claimed_at ?? Date.now(),
      timer: setTimeout(() => this.abort(entry, 'timeout'), this.attemptTimeoutMs).unref(),
    };
    this.inFlight.set(row.id, entry);
    // Settles as soon as the signal aborts, even if the deliverer ignores it, so stop() and the
    // attempt time limit are bounded. Whichever comes first wins: complete() marks the entry done.
    controller.signal.addEventListener(
      'abort',
      () => {
        if (!entry.done) this.complete({ entry, finishedAt: Date.now(), ok: false, error: controller.signal.reason });
      },
      { once: true },
    );
    let attempt: Promise<unknown>;
    try {
      if (deliverer === undefined) {
        throw new OutboxError('PB_OUTBOX_UNKNOWN_CHANNEL', `Channel "${row.channel}" lost its deliverer while the message was claimed.`);
      }
      attempt = traceAttempt(message, () => Promise.resolve(deliverer(message, controller.signal)));
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (receipt) => {
        if (!entry.done) this.complete({ entry, finishedAt: Date.now(), ok: true, ...(isReceipt(receipt) ? { receipt } : {}) });
      },
      (error: unknown) => {
        if (!entry.done) this.complete({ entry, finishedAt: Date.now(), ok: false, error });
      },
    );
  }

  private abort(entry: InFlight, kind: 'timeout' | 'stopped'): void {
    if (entry.done || entry.controller.signal.aborted) return;
    entry.abortKind = kind;
    const reason =
      kind === 'timeout'
        ? new OutboxError('PB_OUTBOX_ATTEMPT_TIMEOUT', `Attempt ${entry.row.attempts} of message ${entry.row.id} exceeded ${this.attemptTimeoutMs} ms; it will be retried. Raise attemptTimeoutMs if the receiver is just slow.`)
        : new OutboxError('PB_OUTBOX_STOPPED', `The outbox stopped during attempt ${entry.row.attempts} of message ${entry.row.id}; it will be delivered after the next start.`);
    entry.controller.abort(reason);
  }

  private complete(c: Completion): void {
    clearTimeout(c.entry.timer);
    c.entry.done = true;
    this.completions.push(c);
    this.kick();
  }

  /** Decides and stores the outcome of one attempt (inside the tick's transaction). */
  private record(c: Completion): Emission {
    const { row, message, startedAt } = c.entry;
    const now = c.finishedAt;
    const attempt = row.attempts;
    const base = settledBase(message);
    if (c.ok) {
      const statusCode = c.receipt?.statusCode ?? null;
      if (!this.store.markDelivered(row.id, this.owner, now, statusCode)) this.lostClaim(row);
      this.store.recordAttempt(attemptRow(row, startedAt, now, 'delivered', statusCode, null, clip(c.receipt?.detail), null));
      // Filled in place: a spread followed by keys it already copied takes V8's slow path.
      const delivered = base;
      delivered.state = 'delivered';
      delivered.updatedAt = new Date(now);
      delivered.deliveredAt = new Date(now);
      if (statusCode !== null) delivered.lastStatusCode = statusCode;
      return ['delivered', delivered, { attempt, durationMs: now - startedAt, ...(c.receipt ? { receipt: c.receipt } : {}) }];
    }

    const facts = failureFacts(c.error);
    const error = clip(facts.message) ?? 'unknown error';
    const statusCode = facts.statusCode ?? null;
    const withError = { ...base, updatedAt: new Date(now), lastError: error, ...(statusCode !== null ? { lastStatusCode: statusCode } : {}) };
    const kind = c.entry.abortKind;
    const stopped = kind === 'stopped';
    if (!stopped && (facts.permanent || attempt >= this.backoff.maxAttempts)) {
      if (!this.store.markDead(row.id, this.owner, now, error, statusCode)) this.lostClaim(row);
      this.store.recordAttempt(attemptRow(row, startedAt, now, 'dead', statusCode, error, null, null));
      const reason = facts.permanent ? 'permanent' : 'max-attempts';
      this.logger.warn(
        { code: 'PB_OUTBOX_DEAD', id: row.id, channel: row.channel, attempt, statusCode, reason },
        `Message ${row.id} (${row.channel}) is dead after attempt ${attempt}: ${error}. Fix the cause, then outbox.retry("${row.id}").`,
      );
      return ['dead', { ...withError, state: 'dead' }, { attempt, error: c.error, ...(statusCode !== null ? { statusCode } : {}), reason }];
    }
    // Stopping is not the receiver's fault: no backoff, due again at the next start.
    const delayMs = stopped ? 0 : retryDelay(attempt, this.backoff, facts.retryAfterMs);
    const nextAt = now + delayMs;
    if (!this.store.markPending(row.id, this.owner, nextAt, now, error, statusCode)) this.lostClaim(row);
    this.store.recordAttempt(attemptRow(row, startedAt, now, 'retry', statusCode, error, null, nextAt));
    this.logger.info(
      { code: 'PB_OUTBOX_RETRY', id: row.id, channel: row.channel, attempt, statusCode, delayMs },
      `Attempt ${attempt} of message ${row.id} (${row.channel}) failed: ${error}; retrying in ${delayMs} ms.`,
    );
    return ['retry', { ...withError, state: 'pending', nextAttemptAt: new Date(nextAt) }, {
      attempt,
      error: c.error,
      ...(statusCode !== null ? { statusCode } : {}),
      delayMs,
      nextAttemptAt: new Date(nextAt),
      reason: kind ?? 'failed',
    }];
  }

  private lostClaim(row: MessageRow): void {
    this.logger.warn(
      { code: 'PB_OUTBOX_CLAIM_LOST', id: row.id, channel: row.channel },
      `The claim on message ${row.id} lapsed before its attempt finished and another process took it over; it may be delivered twice (receivers should dedupe on the message id). Raise leaseMs if attempts are slow.`,
    );
  }

  private checkUnroutable(now: number): void {
    this.lastUnroutableCheck = now;
    this.unroutableCheckWanted = false;
    for (const { channel, count } of this.store.unroutable(now)) {
      const last = this.unroutableLoggedAt.get(channel);
      if (last !== undefined && now - last < UNROUTABLE_LOG_EVERY_MS) continue;
      this.unroutableLoggedAt.set(channel, now);
      this.logger.error(
        { code: 'PB_OUTBOX_UNKNOWN_CHANNEL', channel, count },
        `${count} outbox message(s) for channel "${channel}" are due but no deliverer is registered for it in this process; they stay pending (nothing is lost) until outbox.register("${channel}", deliverer) is called.`,
      );
      this.safeEmit(['unroutable', { channel, count }]);
    }
  }

  private settleDrainers(now: number): void {
    if (this.drainers.size === 0) return;
    if (this.inFlight.size > 0 || this.completions.length > 0) return;
    let due: boolean | undefined;
    let active: boolean | undefined;
    for (const d of [...this.drainers]) {
      const busy = d.includeScheduled
        ? (active ??= this.deliverers.size > 0 && this.store.hasActive())
        : (due ??= this.deliverers.size > 0 && this.store.hasDue(now));
      if (busy) continue;
      this.finishDrainer(d);
      d.resolve();
    }
  }

  private finishDrainer(d: Drainer): void {
    if (d.timer !== undefined) clearTimeout(d.timer);
    this.drainers.delete(d);
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight.size === 0 && this.completions.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onDatabaseClosed(): void {
    this.running = false;
    this.clearTimer();
    const err = new OutboxError('PB_OUTBOX_CLOSED', 'The outbox database was closed by its owner; results of attempts in flight were not recorded, so those messages will be delivered again after their lease lapses.');
    if (this.completions.length > 0 || this.inFlight.size > 0) this.logger.error({ code: err.code, inFlight: this.inFlight.size }, err.message);
    this.completions = [];
    this.inFlight.clear();
    for (const w of this.idleWaiters.splice(0)) w();
    for (const d of [...this.drainers]) {
      this.finishDrainer(d);
      d.reject(err);
    }
  }

  private emitAll(emissions: readonly Emission[]): void {
    for (const e of emissions) this.safeEmit(e);
  }

  /** A throwing listener must not break the loop (the outcome is already committed). */
  private safeEmit(e: Emission): void {
    try {
      const [event, ...args]: readonly unknown[] = e;
      (this.emit as (event: unknown, ...args: unknown[]) => boolean)(event, ...args);
    } catch (err) {
      this.logger.error({ code: 'PB_OUTBOX_LISTENER', event: e[0], err }, `A listener of outbox event "${e[0]}" threw: ${errorMessage(err)}. Listeners must not throw.`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
    if (!this.db.open) throw new OutboxError('PB_OUTBOX_CLOSED', 'The outbox database is closed; open a new Outbox on an open database.');
  }
}

function attemptRow(
  row: MessageRow,
  startedAt: number,
  finishedAt: number,
  outcome: 'delivered' | 'retry' | 'dead',
  statusCode: number | null,
  error: string | null,
  detail: string | null,
  nextAttemptAt: number | null,
) {
  return { messageId: row.id, attempt: row.attempts, startedAt, finishedAt, outcome, statusCode, error, detail, nextAttemptAt };
}

type MutableMessage = { -readonly [K in keyof OutboxMessage]: OutboxMessage[K] };

/** A copy of the message without the fields that depend on the state it leaves. */
function settledBase(m: OutboxMessage): MutableMessage {
  const base: MutableMessage = {
    id: m.id,
    channel: m.channel,
    payload: m.payload,
    state: m.state,
    attempts: m.attempts,
    meta: m.meta,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
  if (m.dedupeKey !== undefined) base.dedupeKey = m.dedupeKey;
  if (m.deliveredAt !== undefined) base.deliveredAt = m.deliveredAt;
  return base;
}

function isReceipt(value: unknown): value is DeliveryReceipt {
  return typeof value === 'object' && value !== null;
}

function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function closedError(): OutboxError {
  return new OutboxError('PB_OUTBOX_CLOSED', 'The outbox is closed; create a new Outbox to use the database again.');
}

function checkChannel(channel: unknown): void {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `A channel must be a non-empty string (got ${JSON.stringify(channel)}).`);
  }
}

function serialise(channel: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" cannot be stored as JSON (${errorMessage(cause)}); pass plain data.`, { cause });
  }
  if (json === undefined) {
    throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" is not JSON data (got ${typeof payload}); pass plain data.`);
  }
  return json;
}

function positiveInt(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `${name} must be an integer ≥ 1 (got ${value}).`);
  }
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `${name} must be a finite number > 0 (got ${value}).`);
  }
  return value;
}
