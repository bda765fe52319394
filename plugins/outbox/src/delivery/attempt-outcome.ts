import { retryDelay, type ResolvedBackoff } from '../backoff';
import { failureFacts } from '../errors';
import { toMessage, type MessageRow, type NewAttempt } from '../message-row';
import type { OutboxStore } from '../store';
import type { DeliveryReceipt, OutboxLogger, OutboxMessage } from '../types';
import type { Completion, Emission } from './attempt';

/** What deciding an attempt's outcome needs. */
export interface OutcomeContext {
  readonly store: OutboxStore;
  /** This instance's claim owner: its writes only apply to messages it still holds. */
  readonly owner: string;
  readonly backoff: ResolvedBackoff;
  readonly leaseMs: number;
  readonly logger: OutboxLogger;
}

const MAX_ERROR_CHARS = 2000;

/** Decides and stores the outcome of one attempt (inside the tick's transaction). */
export function recordOutcome(ctx: OutcomeContext, c: Completion): Emission {
  const { row, message, startedAt } = c.entry;
  const now = c.finishedAt;
  const attempt = row.attempts;
  const base = settledBase(message);
  if (c.ok) {
    const statusCode = c.receipt?.statusCode ?? null;
    if (!ctx.store.markDelivered(row.id, ctx.owner, now, statusCode)) lostClaim(ctx, row);
    ctx.store.recordAttempt(attemptRow(row, startedAt, now, 'delivered', statusCode, null, clip(c.receipt?.detail), null));
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
  if (!stopped && (facts.permanent || attempt >= ctx.backoff.maxAttempts)) {
    if (!ctx.store.markDead(row.id, ctx.owner, now, error, statusCode)) lostClaim(ctx, row);
    ctx.store.recordAttempt(attemptRow(row, startedAt, now, 'dead', statusCode, error, null, null));
    const reason = facts.permanent ? 'permanent' : 'max-attempts';
    ctx.logger.warn(
      { code: 'PB_OUTBOX_DEAD', id: row.id, channel: row.channel, attempt, statusCode, reason },
      `Message ${row.id} (${row.channel}) is dead after attempt ${attempt}: ${error}. Fix the cause, then outbox.retry("${row.id}").`,
    );
    return ['dead', { ...withError, state: 'dead' }, { attempt, error: c.error, ...(statusCode !== null ? { statusCode } : {}), reason }];
  }
  // Stopping is not the receiver's fault: no backoff, due again at the next start.
  const delayMs = stopped ? 0 : retryDelay(attempt, ctx.backoff, facts.retryAfterMs);
  const nextAt = now + delayMs;
  if (!ctx.store.markPending(row.id, ctx.owner, nextAt, now, error, statusCode)) lostClaim(ctx, row);
  ctx.store.recordAttempt(attemptRow(row, startedAt, now, 'retry', statusCode, error, null, nextAt));
  ctx.logger.info(
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

/**
 * A message claimed by a process that died (or stalled past its lease): its attempt is lost.
 * Records it, then claims the message for this process unless that was its last attempt.
 */
export function takeOver(ctx: OutcomeContext, row: MessageRow, now: number, emissions: Emission[]): MessageRow | undefined {
  const startedAt = row.claimed_at ?? row.updated_at;
  const error = `Attempt ${row.attempts} was not finished: its claim lapsed at ${new Date(row.due_at).toISOString()} (the delivering process crashed, was killed or stalled).`;
  if (row.attempts >= ctx.backoff.maxAttempts) {
    ctx.store.markDead(row.id, null, now, error, null);
    ctx.store.recordAttempt(attemptRow(row, startedAt, now, 'dead', null, error, null, null));
    const dead = toMessage({ ...row, state: 'dead', updated_at: now, last_error: error });
    emissions.push(['dead', dead, { attempt: row.attempts, error: new Error(error), reason: 'max-attempts' }]);
    return undefined;
  }
  ctx.store.recordAttempt(attemptRow(row, startedAt, now, 'retry', null, error, null, now));
  emissions.push([
    'retry',
    toMessage({ ...row, state: 'pending', due_at: now, last_error: error }),
    { attempt: row.attempts, error: new Error(error), delayMs: 0, nextAttemptAt: new Date(now), reason: 'lease-expired' },
  ]);
  const leaseUntil = now + ctx.leaseMs;
  ctx.store.claim(row.seq, leaseUntil, now, ctx.owner);
  return {
    ...row,
    state: 'delivering',
    attempts: row.attempts + 1,
    due_at: leaseUntil,
    claimed_at: now,
    claimed_by: ctx.owner,
    updated_at: now,
    last_error: error,
  };
}

/** Whether a deliverer's return value is a receipt worth recording. */
export function isReceipt(value: unknown): value is DeliveryReceipt {
  return typeof value === 'object' && value !== null;
}

function lostClaim(ctx: OutcomeContext, row: MessageRow): void {
  ctx.logger.warn(
    { code: 'PB_OUTBOX_CLAIM_LOST', id: row.id, channel: row.channel },
    `The claim on message ${row.id} lapsed before its attempt finished and another process took it over; it may be delivered twice (receivers should dedupe on the message id). Raise leaseMs if attempts are slow.`,
  );
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
): NewAttempt {
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

function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
