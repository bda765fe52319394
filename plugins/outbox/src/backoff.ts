import { OutboxError } from './errors';
import type { BackoffOptions } from './types';

/** Backoff settings with every default filled in. */
export type ResolvedBackoff = Required<BackoffOptions>;

/** Defaults: 500 ms, ×2, capped at 60 s, ±20 % jitter, 8 attempts, Retry-After capped at 1 h. */
export const DEFAULT_BACKOFF: ResolvedBackoff = Object.freeze({
  initialMs: 500,
  factor: 2,
  maxMs: 60_000,
  jitter: 0.2,
  maxAttempts: 8,
  maxRetryAfterMs: 3_600_000,
});

/** Fills in defaults and rejects values that would make the schedule meaningless. */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const b: ResolvedBackoff = { ...DEFAULT_BACKOFF, ...stripUndefined(options) };
  const bad = (name: string, rule: string): never => {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `backoff.${name} must be ${rule}; fix the Outbox options.`);
  };
  if (!(Number.isFinite(b.initialMs) && b.initialMs >= 0)) bad('initialMs', 'a finite number ≥ 0');
  if (!(Number.isFinite(b.factor) && b.factor >= 1)) bad('factor', 'a finite number ≥ 1');
  if (!(Number.isFinite(b.maxMs) && b.maxMs >= b.initialMs)) bad('maxMs', 'a finite number ≥ initialMs');
  if (!(Number.isFinite(b.jitter) && b.jitter >= 0 && b.jitter <= 1)) bad('jitter', 'a number in [0, 1]');
  if (!(Number.isInteger(b.maxAttempts) && b.maxAttempts >= 1)) bad('maxAttempts', 'an integer ≥ 1');
  if (!(Number.isFinite(b.maxRetryAfterMs) && b.maxRetryAfterMs >= 0)) bad('maxRetryAfterMs', 'a finite number ≥ 0');
  return b;
}

/**
 * Delay before the next attempt after `failures` failed attempts (≥ 1):
 *
 *   base  = min(maxMs, initialMs × factor^(failures − 1))
 *   delay = min(maxMs, round(base × (1 + jitter × (2r − 1))))   with r uniform in [0, 1)
 *
 * so with the defaults: ~500 ms, 1 s, 2 s, 4 s … up to 60 s, each ±20 %.
 *
 * @example
 * ```ts
 * backoffDelay(3, resolveBackoff({ jitter: 0 })); // 2000
 * ```
 */
export function backoffDelay(failures: number, backoff: ResolvedBackoff, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  // Exponentiation can overflow to Infinity for large n; min() keeps it bounded.
  const base = Math.min(backoff.maxMs, backoff.initialMs * Math.pow(backoff.factor, n - 1));
  const spread = 1 + backoff.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(backoff.maxMs, Math.round(base * spread)));
}

/**
 * Delay chosen after a retryable failure: the receiver's `retryAfterMs` when it gave one
 * (capped at `maxRetryAfterMs`, no jitter: the receiver named the time), else {@link backoffDelay}.
 */
export function retryDelay(
  failures: number,
  backoff: ResolvedBackoff,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(backoff.maxRetryAfterMs, Math.max(0, Math.round(retryAfterMs)));
  return backoffDelay(failures, backoff, random);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
