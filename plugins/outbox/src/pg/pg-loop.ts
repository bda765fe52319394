import type { Kysely } from 'kysely';
import type { ResolvedBackoff } from '../backoff';
import { OutboxError } from '../errors';
import { toMessage, type MessageRow } from '../message-row';
import type { OutboxTables } from '../schema/tables';
import type { Deliverer, OutboxLogger } from '../types';
import { cycleStep, type StatementRunner } from './pg-cycle';
import { decide, lostAttempt, type AttemptResult, type Emission, type Finished } from './pg-outcome';
import type { PgStore } from './pg-store';

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
  /** Runs the step as a named statement on the outbox's own pool (none for an adopted Kysely instance). */
  readonly run?: StatementRunner;
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
        ({ claimed, emissions, next } = await this.step(batch, channels, limit, now));
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
    // Every slot busy (or filled now): a finished attempt kicks the next cycle, so a backlog waits
    // for it rather than for the due time it has long passed.
    const full = claimed.length === limit && (limit > 0 || this.inFlight.size >= this.s.concurrency);
    if (full || this.completions.length > 0) return this.arm(this.s.idleCheckMs, true);
    next ??= await this.s.store.nextDue(channels);
    this.arm(next === undefined ? this.s.idleCheckMs : Math.max(0, Math.min(this.s.idleCheckMs, next - Date.now())));
  }

  /**
   * Settles `batch`, records its attempts and claims up to `limit` pending messages in one
   * statement; when a lease lapsed and there is room left, takes those messages over.
   */
  private async step(batch: readonly Finished[], channels: readonly string[], limit: number, now: number): Promise<StepOutcome> {
    const { owner, backoff } = this.s;
    const leaseUntil = now + this.s.leaseMs;
    const outcomes = batch.map((f) => decide(f, owner, backoff));
    const r = await cycleStep(this.s.db, { settlements: outcomes.map((o) => o.settlement), attempts: outcomes.map((o) => o.attempt), channels, limit, now, leaseUntil, owner, take: 'pending' }, this.s.run);
    for (const f of batch) if (!r.settled.has(f.row.id)) this.lostClaim(f.row);
    const emissions = outcomes.map((o) => o.emission);
    // The next due time as a query after the commit would see it: untouched messages, retries
    // settled here (lost claims belong to another process now), and the new leases.
    const dues = outcomes.filter((o) => o.settlement.state === 'pending' && r.settled.has(o.settlement.id)).map((o) => o.settlement.dueAt);
    if (r.untouchedDue !== undefined) dues.push(r.untouchedDue);
    let claimed: MessageRow[] = r.claimed;
    let notBefore = 0;
    const room = limit - claimed.length;
    if (r.lapsed && room > 0) {
      try {
        const taken = await this.s.db.transaction().execute((trx) => this.takeOver(trx, channels, room, now, leaseUntil));
        claimed = claimed.concat(taken.claimed);
        emissions.push(...taken.emissions);
      } catch (err) {
        // The settlements above are committed: only the takeover waits for the next try.
        this.s.logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `Outbox: taking over lapsed claims failed (${err instanceof Error ? err.message : String(err)}); retrying in ${this.s.retryMs} ms.`);
        // Not sooner: the lapsed messages are due already, and would spin the loop on the failure.
        notBefore = Date.now() + this.s.retryMs;
      }
    }
    if (claimed.length > 0) dues.push(leaseUntil);
    return { claimed, emissions, next: dues.length > 0 ? Math.max(notBefore, Math.min(...dues)) : undefined };
  }

  /**
   * Claims up to `room` messages whose lease lapsed (their process died or stalled) and records
   * each lost attempt, in one transaction; a message whose lost attempt was its last is dead.
   */
  private async takeOver(trx: Kysely<OutboxTables>, channels: readonly string[], room: number, now: number, leaseUntil: number): Promise<{ claimed: MessageRow[]; emissions: Emission[] }> {
    const { owner, backoff } = this.s;
    const base = { channels, now, leaseUntil, owner, take: 'lapsed' as const };
    const r = await cycleStep(trx, { ...base, settlements: [], attempts: [], limit: room });
    const lost = r.claimed.map((row) => lostAttempt(row, owner, now, backoff));
    if (lost.length === 0) return { claimed: [], emissions: [] };
    const dead = lost.filter((o) => o.dead);
    await cycleStep(trx, { ...base, settlements: dead.map((o) => o.settlement), attempts: lost.map((o) => o.attempt), limit: 0 });
    const deadIds = new Set(dead.map((o) => o.settlement.id));
    return { claimed: r.claimed.filter((row) => !deadIds.has(row.id)), emissions: lost.map((o) => o.emission) };
  }

  private deliver(row: MessageRow): void {
    const deliverer = this.s.deliverers.get(row.channel);
    const message = toMessage(row);
    const controller = new AbortController();
    const entry: InFlight = { row, controller, timer: setTimeout(() => this.abort(entry, 'timeout'), this.s.attemptTimeoutMs).unref() };
    this.inFlight.set(row.id, entry);
    const startedAt = row.claimed_at ?? Date.now();
    const finish = (f: AttemptResult): void => {
      if (entry.done) return;
      entry.done = true;
      clearTimeout(entry.timer);
      this.completions.push({ ...f, row, message, startedAt, finishedAt: Date.now() });
      this.kick();
    };
    controller.signal.addEventListener('abort', () => finish({ ok: false, error: controller.signal.reason, ...(entry.abortKind ? { abortKind: entry.abortKind } : {}) }), { once: true });
    let attempt: Promise<unknown>;
    try {
      if (deliverer === undefined) throw new OutboxError('PB_OUTBOX_UNKNOWN_CHANNEL', `Channel "${row.channel}" lost its deliverer while the message was claimed.`);
      attempt = Promise.resolve(deliverer(message, controller.signal));
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
