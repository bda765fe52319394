import type { Kysely } from 'kysely';
import type { ResolvedBackoff } from '../backoff';
import { OutboxError } from '../errors';
import { toMessage, type MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { Deliverer, OutboxLogger } from '../types';
import { cycleStep } from './pg-cycle';
import { decide, lostAttempt, type AttemptResult, type Emission, type Finished } from './pg-outcome';
import type { PgStore } from './pg-store';
import { relaxedTransaction } from './relaxed-transaction';

/** Settings of {@link PgLoop}. */
export interface PgLoopSettings {
  readonly db: Kysely<OutboxTables>;
  readonly store: PgStore;
  readonly owner: string;
  readonly backoff: ResolvedBackoff;
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly leaseMs: number;
  /** Longest sleep when nothing is due: the safety net for lapsed leases of dead processes. */
  readonly idleCheckMs: number;
  /** Wait after a failed cycle (e.g. PostgreSQL restarting). */
  readonly retryMs: number;
  readonly logger: OutboxLogger;
  readonly deliverers: ReadonlyMap<string, Deliverer>;
  readonly emit: (e: Emission) => void;
}

interface InFlight {
  readonly row: MessageRow;
  readonly controller: AbortController;
  readonly timer: NodeJS.Timeout;
  abortKind?: 'timeout' | 'stopped';
  done?: boolean;
}

interface StepOutcome {
  readonly claimed: MessageRow[];
  readonly emissions: Emission[];
  readonly next: number | undefined;
}

interface Drainer {
  readonly includeScheduled: boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * The PostgreSQL delivery loop. Event-driven: a cycle runs when a message is enqueued here, a
 * NOTIFY arrives, an attempt finishes, or a timer set to the next due time (at most
 * `idleCheckMs` away) fires. Each cycle commits the finished attempts and its claims in one
 * transaction; an idle loop issues no query until one of those happens.
 */
export class PgLoop {
  running = false;
  private closed = false;
  private readonly inFlight = new Map<string, InFlight>();
  private completions: Finished[] = [];
  private readonly drainers = new Set<Drainer>();
  private idleWaiters: (() => void)[] = [];
  private ticking = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly s: PgLoopSettings) {}

  private get active(): boolean {
    return !this.closed && (this.running || this.drainers.size > 0);
  }

  /** Runs a cycle soon; wake-ups while one runs coalesce into one more. */
  kick(): void {
    if (this.closed) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.cycle();
      } while (this.again && !this.closed);
    } catch (err) {
      this.s.logger.error({ code: 'PB_OUTBOX_LOOP', err }, `Outbox loop failed (${err instanceof Error ? err.message : String(err)}); retrying in ${this.s.retryMs} ms.`);
      this.again = false; // the retry timer comes back; kicking now would spin while the server is down
      this.arm(this.s.retryMs);
    } finally {
      this.ticking = false;
    }
    if (this.again) this.kick();
  }

  private async cycle(): Promise<void> {
    const batch = this.completions;
    this.completions = [];
    const now = Date.now();
    const channels = [...this.s.deliverers.keys()];
    const free = this.s.concurrency - this.inFlight.size + batch.length;
    const limit = this.active && channels.length > 0 ? Math.max(0, free) : 0;
    let claimed: MessageRow[] = [];
    let next: number | undefined | null = null;
    if (batch.length > 0 || limit > 0) {
      let emissions: Emission[];
      try {
        ({ claimed, emissions, next } = await relaxedTransaction(this.s.db, (trx) => this.step(trx, batch, channels, limit, now)));
      } catch (err) {
        this.completions = batch.concat(this.completions); // their claims still hold the messages
        throw err;
      }
      for (const f of batch) this.inFlight.delete(f.row.id);
      for (const e of emissions) this.s.emit(e);
      for (const row of claimed) this.deliver(row);
    }
    if (this.inFlight.size === 0 && this.completions.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    if (!this.active) return;
    await this.settleDrainers(channels, now);
    const saturated = limit > 0 && claimed.length === limit;
    if (saturated || this.completions.length > 0) return this.arm(this.s.idleCheckMs, true);
    next ??= await this.s.store.nextDue(channels);
    this.arm(next === undefined ? this.s.idleCheckMs : Math.max(0, Math.min(this.s.idleCheckMs, next - Date.now())));
  }

  /**
   * Settles `batch`, records its attempts and claims up to `limit` messages; a claimed row whose
   * previous claim lapsed gets its lost attempt recorded (and is dropped when that makes it dead).
   */
  private async step(trx: Kysely<OutboxTables>, batch: readonly Finished[], channels: readonly string[], limit: number, now: number): Promise<StepOutcome> {
    const { owner, backoff } = this.s;
    const leaseUntil = now + this.s.leaseMs;
    const outcomes = batch.map((f) => decide(f, owner, backoff));
    const r = await cycleStep(trx, { settlements: outcomes.map((o) => o.settlement), attempts: outcomes.map((o) => o.attempt), channels, limit, now, leaseUntil, owner });
    for (const f of batch) if (!r.settled.has(f.row.id)) this.lostClaim(f.row);
    const takeovers = r.claimed.filter((row) => row.was === 'delivering').map((row) => lostAttempt(row, owner, now, backoff));
    if (takeovers.length > 0) {
      const dead = takeovers.filter((o) => o.dead);
      await cycleStep(trx, { settlements: dead.map((o) => o.settlement), attempts: takeovers.map((o) => o.attempt), channels, limit: 0, now, leaseUntil, owner });
    }
    const deadIds = new Set(takeovers.filter((o) => o.dead).map((o) => o.settlement.id));
    const claimed = r.claimed.filter((row) => !deadIds.has(row.id));
    // The next due time as a query after the commit would see it: untouched messages, retries
    // settled here (lost claims belong to another process now), and the new leases.
    const dues = outcomes.filter((o) => o.settlement.state === 'pending' && r.settled.has(o.settlement.id)).map((o) => o.settlement.dueAt);
    if (claimed.length > 0) dues.push(leaseUntil);
    if (r.untouchedDue !== undefined) dues.push(r.untouchedDue);
    return { claimed, emissions: [...outcomes.map((o) => o.emission), ...takeovers.map((o) => o.emission)], next: dues.length > 0 ? Math.min(...dues) : undefined };
  }

  private deliver(row: MessageRow): void {
    const deliverer = this.s.deliverers.get(row.channel);
    const controller = new AbortController();
    const entry: InFlight = { row, controller, timer: setTimeout(() => this.abort(entry, 'timeout'), this.s.attemptTimeoutMs).unref() };
    this.inFlight.set(row.id, entry);
    const startedAt = row.claimed_at ?? Date.now();
    const finish = (f: AttemptResult): void => {
      if (entry.done) return;
      entry.done = true;
      clearTimeout(entry.timer);
      this.completions.push({ ...f, row, startedAt, finishedAt: Date.now() });
      this.kick();
    };
    controller.signal.addEventListener('abort', () => finish({ ok: false, error: controller.signal.reason, ...(entry.abortKind ? { abortKind: entry.abortKind } : {}) }), { once: true });
    let attempt: Promise<unknown>;
    try {
      if (deliverer === undefined) throw new OutboxError('PB_OUTBOX_UNKNOWN_CHANNEL', `Channel "${row.channel}" lost its deliverer while the message was claimed.`);
      attempt = Promise.resolve(deliverer(toMessage(row), controller.signal));
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (receipt) => finish({ ok: true, ...(typeof receipt === 'object' && receipt !== null ? { receipt } : {}) }),
      (error: unknown) => finish({ ok: false, error }),
    );
  }

  abort(entry: InFlight, kind: 'timeout' | 'stopped'): void {
    if (entry.done || entry.controller.signal.aborted) return;
    entry.abortKind = kind;
    const reason =
      kind === 'timeout'
        ? new OutboxError('PB_OUTBOX_ATTEMPT_TIMEOUT', `Attempt ${entry.row.attempts} of message ${entry.row.id} exceeded ${this.s.attemptTimeoutMs} ms; it will be retried. Raise attemptTimeoutMs if the receiver is just slow.`)
        : new OutboxError('PB_OUTBOX_STOPPED', `The outbox stopped during attempt ${entry.row.attempts} of message ${entry.row.id}; it will be delivered after the next start.`);
    entry.controller.abort(reason);
  }

  private lostClaim(row: MessageRow): void {
    this.s.logger.warn(
      { code: 'PB_OUTBOX_CLAIM_LOST', id: row.id, channel: row.channel },
      `The claim on message ${row.id} lapsed before its attempt finished and another process took it over; it may be delivered twice (receivers should dedupe on the message id). Raise leaseMs if attempts are slow.`,
    );
  }

  private async settleDrainers(channels: readonly string[], now: number): Promise<void> {
    if (this.drainers.size === 0 || this.inFlight.size > 0 || this.completions.length > 0) return;
    let due: boolean | undefined;
    let active: boolean | undefined;
    for (const d of [...this.drainers]) {
      const busy = d.includeScheduled ? (active ??= await this.s.store.hasActive(channels)) : (due ??= await this.s.store.hasActive(channels, now));
      if (busy) continue;
      this.drainers.delete(d);
      d.resolve();
    }
  }

  /** Sleeps until `delayMs`; unref'd unless a drain() waits, so an idle outbox never holds the process. */
  private arm(delayMs: number, keep = false): void {
    this.clearTimer();
    if (!this.active && this.completions.length === 0 && !keep) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delayMs);
    if (this.drainers.size === 0) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every attempt in flight has been recorded. */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0 && this.completions.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  drain(includeScheduled: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.drainers.add({ includeScheduled, resolve, reject });
      this.kick();
    });
  }

  /** Stops claiming; rejects waiting drains; after `timeoutMs` aborts attempts in flight (recorded as pending again). */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.clearTimer();
    for (const d of this.drainers) d.reject(new OutboxError('PB_OUTBOX_STOPPED', 'The outbox was stopped while drain() was waiting; call start() or drain() again.'));
    this.drainers.clear();
    if (this.inFlight.size === 0 && this.completions.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const idle = await Promise.race([this.whenIdle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (idle) for (const e of this.inFlight.values()) this.abort(e, 'stopped');
    await this.whenIdle();
  }

  close(): void {
    this.closed = true;
    this.clearTimer();
  }
}
