import type { Database } from 'better-sqlite3';
import { resolveBackoff, type ResolvedBackoff } from './backoff';
import { consoleLogger } from './console-logger';
import { OutboxError } from './errors';
import type { CheckpointMode } from './wal-checkpointer';
import type { BackoffOptions, OutboxLogger } from './types';

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

/** The loop's settings from {@link OutboxOptions}, defaults applied and checked. */
export interface OutboxSettings {
  readonly backoff: ResolvedBackoff;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly attemptTimeoutMs: number;
  readonly leaseMs: number;
  readonly logger: OutboxLogger;
}

/** Applies the defaults and checks the numbers; throws `PB_OUTBOX_INVALID_OPTIONS` saying which to fix. */
export function resolveOutboxSettings(options: OutboxOptions): OutboxSettings {
  const backoff = resolveBackoff(options.backoff);
  const concurrency = positiveInt('concurrency', options.concurrency ?? 8);
  const pollIntervalMs = positiveNumber('pollIntervalMs', options.pollIntervalMs ?? 200);
  const attemptTimeoutMs = positiveNumber('attemptTimeoutMs', options.attemptTimeoutMs ?? 60_000);
  const leaseMs = positiveNumber('leaseMs', options.leaseMs ?? attemptTimeoutMs + 30_000);
  if (leaseMs <= attemptTimeoutMs) {
    throw new OutboxError(
      'PB_OUTBOX_INVALID_OPTIONS',
      `leaseMs (${leaseMs}) must be greater than attemptTimeoutMs (${attemptTimeoutMs}), or a slow attempt could be delivered twice concurrently; raise leaseMs.`,
    );
  }
  return { backoff, concurrency, pollIntervalMs, attemptTimeoutMs, leaseMs, logger: options.logger ?? consoleLogger };
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
