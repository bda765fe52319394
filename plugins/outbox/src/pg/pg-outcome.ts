import { retryDelay, type ResolvedBackoff } from '../backoff';
import { failureFacts } from '../errors';
import { toMessage, type MessageRow, type NewAttempt } from '../message-row';
import type { DeliveryReceipt, OutboxEvents, OutboxMessage } from '../types';
import type { Settlement } from './pg-cycle';

/** An event to emit after the transaction that decided it commits. */
export type Emission = { [E in keyof OutboxEvents]: [E, ...OutboxEvents[E]] }[keyof OutboxEvents];

/** How an attempt ended. */
export type AttemptResult =
  | { readonly ok: true; readonly receipt?: DeliveryReceipt }
  | { readonly ok: false; readonly error: unknown; readonly abortKind?: 'timeout' | 'stopped' };

/** A finished attempt, as the loop reports it. */
export type Finished = AttemptResult & { readonly row: MessageRow; readonly message: OutboxMessage; readonly startedAt: number; readonly finishedAt: number };

/** What to store and emit for one finished attempt. */
export interface Outcome {
  readonly settlement: Settlement;
  readonly attempt: NewAttempt;
  readonly emission: Emission;
}

const MAX_ERROR_CHARS = 2000;

/**
 * Decides a finished attempt's outcome with the SQLite outbox's rules: delivered; dead after a
 * permanent failure or the last attempt; otherwise pending again after the backoff (at once when
 * the outbox was stopping, which is not the receiver's fault).
 */
export function decide(f: Finished, owner: string, backoff: ResolvedBackoff): Outcome {
  const { row, startedAt, finishedAt: now } = f;
  const attemptNo = row.attempts;
  // The message the deliverer got, parsed once when it was claimed.
  const message: OutboxMessage = { ...f.message, updatedAt: new Date(now) };
  const attempt = (outcome: NewAttempt['outcome'], statusCode: number | null, error: string | null, detail: string | null, nextAttemptAt: number | null): NewAttempt => ({
    messageId: row.id, attempt: attemptNo, startedAt, finishedAt: now, outcome, statusCode, error, detail, nextAttemptAt,
  });
  if (f.ok) {
    const statusCode = f.receipt?.statusCode ?? null;
    const delivered: OutboxMessage = { ...without(message), state: 'delivered', deliveredAt: new Date(now), ...(statusCode !== null ? { lastStatusCode: statusCode } : {}) };
    return {
      settlement: { id: row.id, owner, state: 'delivered', now, dueAt: now, error: null, statusCode },
      attempt: attempt('delivered', statusCode, null, clip(f.receipt?.detail), null),
      emission: ['delivered', delivered, { attempt: attemptNo, durationMs: now - startedAt, ...(f.receipt ? { receipt: f.receipt } : {}) }],
    };
  }
  const facts = failureFacts(f.error);
  const error = clip(facts.message) ?? 'unknown error';
  const statusCode = facts.statusCode ?? null;
  const failed = { ...without(message), lastError: error, ...(statusCode !== null ? { lastStatusCode: statusCode } : {}) };
  const stopped = f.abortKind === 'stopped';
  if (!stopped && (facts.permanent || attemptNo >= backoff.maxAttempts)) {
    const reason = facts.permanent ? 'permanent' : 'max-attempts';
    return {
      settlement: { id: row.id, owner, state: 'dead', now, dueAt: now, error, statusCode },
      attempt: attempt('dead', statusCode, error, null, null),
      emission: ['dead', { ...failed, state: 'dead' }, { attempt: attemptNo, error: f.error, ...(statusCode !== null ? { statusCode } : {}), reason }],
    };
  }
  const delayMs = stopped ? 0 : retryDelay(attemptNo, backoff, facts.retryAfterMs);
  const nextAt = now + delayMs;
  return {
    settlement: { id: row.id, owner, state: 'pending', now, dueAt: nextAt, error, statusCode },
    attempt: attempt('retry', statusCode, error, null, nextAt),
    emission: [
      'retry',
      { ...failed, state: 'pending', nextAttemptAt: new Date(nextAt) },
      { attempt: attemptNo, error: f.error, ...(statusCode !== null ? { statusCode } : {}), delayMs, nextAttemptAt: new Date(nextAt), reason: f.abortKind ?? 'failed' },
    ],
  };
}

/**
 * The attempt a dead (or stalled) process never finished, found when its lapsed claim is taken
 * over: `row` is already claimed again (attempts counts the new attempt).
 */
export function lostAttempt(row: MessageRow, owner: string, now: number, backoff: ResolvedBackoff): Outcome & { readonly dead: boolean } {
  const lost = row.attempts - 1;
  const startedAt = row.claimed_at ?? row.updated_at;
  const error = `Attempt ${lost} was not finished: its claim lapsed (the delivering process crashed, was killed or stalled).`;
  const base = { ...without(toMessage({ ...row, updated_at: now })), attempts: lost, lastError: error };
  const record = (outcome: 'retry' | 'dead', next: number | null): NewAttempt => ({
    messageId: row.id, attempt: lost, startedAt, finishedAt: now, outcome, statusCode: null, error, detail: null, nextAttemptAt: next,
  });
  if (lost >= backoff.maxAttempts) {
    return {
      dead: true,
      settlement: { id: row.id, owner, state: 'dead', now, dueAt: now, error, statusCode: null, attempts: lost },
      attempt: record('dead', null),
      emission: ['dead', { ...base, state: 'dead' }, { attempt: lost, error: new Error(error), reason: 'max-attempts' }],
    };
  }
  return {
    dead: false,
    settlement: { id: row.id, owner, state: 'pending', now, dueAt: now, error, statusCode: null },
    attempt: record('retry', now),
    emission: ['retry', { ...base, state: 'pending', nextAttemptAt: new Date(now) }, { attempt: lost, error: new Error(error), delayMs: 0, nextAttemptAt: new Date(now), reason: 'lease-expired' }],
  };
}

/** The message without the fields that belong to the state it leaves. */
function without(m: OutboxMessage): OutboxMessage {
  const { nextAttemptAt: _n, leaseUntil: _l, ...rest } = m;
  return rest;
}

function clip(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
