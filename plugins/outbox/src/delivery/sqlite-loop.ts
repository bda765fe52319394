import type { Database, Transaction } from 'better-sqlite3';
import { traceAttempt } from '../delivery-tracing';
import { errorMessage } from '../error-message';
import { OutboxError } from '../errors';
import { toMessage, type MessageRow } from '../message-row';
import type { Deliverer, DrainOptions } from '../types';
import type { Completion, Emission, InFlight } from './attempt';
import { isReceipt, recordOutcome, takeOver, type OutcomeContext } from './attempt-outcome';
import { Drainers } from './drainers';
import { UnroutableReport } from './unroutable-report';

/** Settings of {@link SqliteLoop}. */
export interface SqliteLoopSettings extends OutcomeContext {
  readonly db: Database;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly attemptTimeoutMs: number;
  /** The outbox's own map: registrations take effect at the next claim. */
  readonly deliverers: ReadonlyMap<string, Deliverer>;
  /** Emits an event; must not throw. */
  readonly emit: (e: Emission) => void;
}

/** What one tick's transaction did: outcomes recorded, messages claimed, takeovers of lapsed claims. */
interface Cycle {
  readonly recorded: Emission[];
  readonly claimed: MessageRow[];
  readonly emissions: Emission[];
}

/**
 * The SQLite delivery loop. A tick commits, in one transaction, the outcomes of finished
 * attempts and the claims of due messages, then starts those deliveries. Ticks run on wake-ups
 * (enqueue, completion, registration), coalesced, and on a poll timer for other processes' work.
 */
export class SqliteLoop {
  running = false;
  readonly unroutable: UnroutableReport;
  private closed = false;
  private readonly inFlight = new Map<string, InFlight>();
  private completions: Completion[] = [];
  private readonly drainers = new Drainers();
  private idleWaiters: (() => void)[] = [];
  private tickQueued = false;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Lapsed claims only exist after another process died or stalled past its lease, so the scan
   * for them runs on the poll timer and at most once per poll interval otherwise, not on every
   * enqueue or completion.
   */
  private lastLapsedScan = Number.NEGATIVE_INFINITY;
  private lapsedScanWanted = true;
  private readonly cycleTx: Transaction<(batch: readonly Completion[], limit: number, now: number) => Cycle>;

  constructor(private readonly s: SqliteLoopSettings) {
    this.unroutable = new UnroutableReport(s.store, s.logger, s.emit, s.pollIntervalMs);
    this.cycleTx = s.db.transaction((batch: readonly Completion[], limit: number, now: number): Cycle => {
      const recorded = batch.map((c) => recordOutcome(s, c));
      const { rows, emissions } = limit > 0 ? this.claimDue(limit, now) : { rows: [], emissions: [] };
      return { recorded, claimed: rows, emissions };
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unroutable.wanted = true;
    this.lapsedScanWanted = true;
    this.kick();
  }

  /** Stops claiming, rejects pending drains, waits up to `timeoutMs` for attempts in flight, then aborts them. */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.clearTimer();
    this.drainers.rejectAll(() => new OutboxError('PB_OUTBOX_STOPPED', 'The outbox was stopped while drain() was waiting; call start() or drain() again.'));
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

  /** No tick runs after this. */
  close(): void {
    this.closed = true;
  }

  /** See Outbox.drain(): runs the loop until the drain settles, even when not started. */
  drain(options: DrainOptions): Promise<void> {
    const drained = this.drainers.wait(options);
    this.lapsedScanWanted = true;
    this.kick();
    return drained;
  }

  private get active(): boolean {
    return !this.closed && (this.running || this.drainers.size > 0);
  }

  /** Coalesces wake-ups (many enqueues, many completions) into one tick. */
  kick(): void {
    if (this.tickQueued || this.closed) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  private tick(): void {
    const { db, concurrency, deliverers, pollIntervalMs } = this.s;
    if (!db.open) {
      this.onDatabaseClosed();
      return;
    }
    if (db.inTransaction) {
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
      const free = concurrency - this.inFlight.size + batch.length;
      const limit = active && deliverers.size > 0 ? Math.max(0, free) : 0;
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
      this.unroutable.checkIfDue(now);
      if (this.drainers.size > 0 && this.inFlight.size === 0 && this.completions.length === 0) {
        this.drainers.settle(this.s.store, deliverers.size > 0, now);
      }
      // A full batch means more may be due: the next completion (or the poll) comes back for them.
      const saturated = free <= 0 || (limit > 0 && cycle.claimed.length === limit);
      this.arm(saturated ? pollIntervalMs : this.delayToNextDue(now));
    } catch (err) {
      this.s.logger.error({ code: 'PB_OUTBOX_LOOP', err }, `Outbox loop failed (${errorMessage(err)}); retrying in ${pollIntervalMs} ms.`);
      this.arm(pollIntervalMs);
    }
  }

  private delayToNextDue(now: number): number {
    if (this.s.deliverers.size === 0) return this.s.pollIntervalMs;
    const next = this.s.store.nextDue();
    if (next === undefined) return this.s.pollIntervalMs;
    return Math.max(0, Math.min(this.s.pollIntervalMs, next - now));
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
    if (this.lapsedScanWanted || now - this.lastLapsedScan >= this.s.pollIntervalMs) {
      this.lapsedScanWanted = false;
      this.lastLapsedScan = now;
      for (const row of this.s.store.lapsed(now, limit)) {
        if (this.inFlight.has(row.id)) continue;
        const taken = takeOver(this.s, row, now, emissions);
        if (taken !== undefined) rows.push(taken);
      }
    }
    if (rows.length < limit) rows.push(...this.s.store.claimPending(limit - rows.length, now, now + this.s.leaseMs, this.s.owner));
    return { rows, emissions };
  }

  private deliver(row: MessageRow): void {
    const deliverer = this.s.deliverers.get(row.channel);
    const message = toMessage(row);
    const controller = new AbortController();
    const entry: InFlight = {
      row,
      message,
      controller,
      startedAt: row.claimed_at ?? Date.now(),
      timer: setTimeout(() => this.abort(entry, 'timeout'), this.s.attemptTimeoutMs).unref(),
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
        ? new OutboxError('PB_OUTBOX_ATTEMPT_TIMEOUT', `Attempt ${entry.row.attempts} of message ${entry.row.id} exceeded ${this.s.attemptTimeoutMs} ms; it will be retried. Raise attemptTimeoutMs if the receiver is just slow.`)
        : new OutboxError('PB_OUTBOX_STOPPED', `The outbox stopped during attempt ${entry.row.attempts} of message ${entry.row.id}; it will be delivered after the next start.`);
    entry.controller.abort(reason);
  }

  private complete(c: Completion): void {
    clearTimeout(c.entry.timer);
    c.entry.done = true;
    this.completions.push(c);
    this.kick();
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight.size === 0 && this.completions.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onDatabaseClosed(): void {
    this.running = false;
    this.clearTimer();
    const err = new OutboxError('PB_OUTBOX_CLOSED', 'The outbox database was closed by its owner; results of attempts in flight were not recorded, so those messages will be delivered again after their lease lapses.');
    if (this.completions.length > 0 || this.inFlight.size > 0) this.s.logger.error({ code: err.code, inFlight: this.inFlight.size }, err.message);
    this.completions = [];
    this.inFlight.clear();
    for (const w of this.idleWaiters.splice(0)) w();
    this.drainers.rejectAll(() => err);
  }

  private emitAll(emissions: readonly Emission[]): void {
    for (const e of emissions) this.s.emit(e);
  }
}
