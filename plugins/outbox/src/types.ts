/** Public types of the outbox: messages, deliverers, attempts, options and events. */

/**
 * Life cycle of a message: `pending` (waiting to be due) → `delivering` (claimed by a process,
 * under a lease) → `delivered`, or back to `pending` after a retryable failure, or `dead`
 * after a permanent failure or the last allowed attempt. `retry(id)` brings `dead` back to `pending`.
 */
export type OutboxState = 'pending' | 'delivering' | 'delivered' | 'dead';

/** All states, in life-cycle order. */
export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'delivering', 'delivered', 'dead'];

/** A stored message. Its `id` is stable across retries: use it as Message-ID / webhook-id so receivers can drop duplicates. */
export interface OutboxMessage<P = unknown> {
  /** Stable id: a time-ordered UUIDv7 (RFC 9562). */
  readonly id: string;
  /** Name of the deliverer registered with {@link Outbox.register}. */
  readonly channel: string;
  /** What was enqueued (stored as JSON, so it comes back as its JSON form). */
  readonly payload: P;
  readonly state: OutboxState;
  /** Attempts started so far; while `delivering` it is the number of the attempt in progress. */
  readonly attempts: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly dedupeKey?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When `pending`: when the next attempt is due. */
  readonly nextAttemptAt?: Date;
  /** When `delivering`: when the claim lapses and another process may take the message over. */
  readonly leaseUntil?: Date;
  readonly deliveredAt?: Date;
  /** Error of the last failed attempt (cleared on delivery). */
  readonly lastError?: string;
  /** Status code reported by the last attempt (SMTP or HTTP), when the deliverer gave one. */
  readonly lastStatusCode?: number;
}

/** What a deliverer may return on success; it is recorded with the attempt. */
export interface DeliveryReceipt {
  readonly detail?: string;
  readonly statusCode?: number;
}

/**
 * Delivers one message of a channel. Resolve (optionally with a receipt) when the receiver has
 * accepted it; throw {@link PermanentDeliveryError} for failures that a retry cannot fix and
 * {@link RetryableDeliveryError} (or any other error) for the rest. Honour `signal`: it is
 * aborted when the attempt times out or the outbox is stopped.
 */
export type Deliverer<P = unknown> = (
  message: OutboxMessage<P>,
  signal: AbortSignal,
) => Promise<DeliveryReceipt | void> | DeliveryReceipt | void;

/** Outcome of one recorded attempt. */
export type AttemptOutcome = 'delivered' | 'retry' | 'dead';

/** One delivery attempt, as recorded in `outbox_attempts`. */
export interface AttemptRecord {
  /** 1-based attempt number (restarts at 1 after {@link Outbox.retry} of a dead message). */
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: AttemptOutcome;
  readonly statusCode?: number;
  readonly error?: string;
  /** Receipt detail of a successful attempt. */
  readonly detail?: string;
  /** For `retry` outcomes: when the next attempt is due. */
  readonly nextAttemptAt?: Date;
}

/** Backoff and retry limits. Delay before attempt n+1 (n = failed attempts so far): see `backoffDelay`. */
export interface BackoffOptions {
  /** Delay after the first failure, in ms. Default 500. */
  readonly initialMs?: number;
  /** Multiplier per further failure. Default 2. */
  readonly factor?: number;
  /** Upper bound of a computed delay, in ms. Default 60 000. */
  readonly maxMs?: number;
  /** Relative jitter in [0, 1]: the delay is spread uniformly over ±jitter of its value. Default 0.2. */
  readonly jitter?: number;
  /** Total attempts (first one included) before a message goes dead. Default 8. */
  readonly maxAttempts?: number;
  /** Upper bound applied to a receiver's `retryAfterMs` hint, in ms. Default 3 600 000 (1 h). */
  readonly maxRetryAfterMs?: number;
}

/** pino-compatible logger (only these three methods are used). */
export interface OutboxLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** One message of an `enqueueAll`. */
export interface QueuedMessage<P = unknown> {
  readonly channel: string;
  readonly payload: P;
  readonly options?: EnqueueOptions;
}

/** Options of {@link Outbox.enqueue}. */
export interface EnqueueOptions {
  /**
   * Idempotency key, unique per channel: enqueuing again with the same channel and key returns
   * the message already stored (whatever its state) instead of adding a new one.
   */
  readonly dedupeKey?: string;
  /** Do not attempt before this many ms from now. */
  readonly delayMs?: number;
  /** Free-form string metadata stored with the message (e.g. endpoint id, rule id). */
  readonly meta?: Readonly<Record<string, string>>;
}

/** Filter of {@link Outbox.list}. */
export interface ListFilter {
  readonly state?: OutboxState;
  readonly channel?: string;
  /** Default 100. */
  readonly limit?: number;
  /** Rows to skip (for paging). Default 0. */
  readonly offset?: number;
}

/** Options of {@link Outbox.drain}. */
export interface DrainOptions {
  /**
   * Also wait for messages scheduled later (backoff, `delayMs`), not only for those due now.
   * Default false.
   */
  readonly includeScheduled?: boolean;
  /** Reject with `PB_OUTBOX_DRAIN_TIMEOUT` after this many ms. Default: no limit. */
  readonly timeoutMs?: number;
}

/** Options of {@link Outbox.stop}. */
export interface StopOptions {
  /** How long to wait for in-flight deliveries before aborting their signals. Default 10 000. */
  readonly timeoutMs?: number;
}

/** Options of {@link Outbox.purge}. */
export interface PurgeOptions {
  /** States to delete. Default `['delivered']`. Only `delivered` and `dead` are accepted. */
  readonly states?: readonly ('delivered' | 'dead')[];
  /** Only messages last updated at least this many ms ago. Default 0 (all). */
  readonly olderThanMs?: number;
}

/** Info of the `delivered` event. */
export interface DeliveredInfo {
  readonly attempt: number;
  readonly durationMs: number;
  readonly receipt?: DeliveryReceipt;
}

/** Info of the `retry` event. */
export interface RetryInfo {
  readonly attempt: number;
  readonly error: unknown;
  readonly statusCode?: number;
  readonly delayMs: number;
  readonly nextAttemptAt: Date;
  /** Why the attempt failed: the deliverer threw, it timed out, the outbox stopped, or its lease lapsed (crash). */
  readonly reason: 'failed' | 'timeout' | 'stopped' | 'lease-expired';
}

/** Info of the `dead` event. */
export interface DeadInfo {
  readonly attempt: number;
  readonly error: unknown;
  readonly statusCode?: number;
  /** `permanent`: PermanentDeliveryError; `max-attempts`: the last allowed attempt failed. */
  readonly reason: 'permanent' | 'max-attempts';
}

/** Info of the `unroutable` event: due messages of a channel that has no deliverer in this process. */
export interface UnroutableInfo {
  readonly channel: string;
  readonly count: number;
}

/** Typed events of {@link Outbox}. */
export interface OutboxEvents {
  delivered: [message: OutboxMessage, info: DeliveredInfo];
  retry: [message: OutboxMessage, info: RetryInfo];
  dead: [message: OutboxMessage, info: DeadInfo];
  unroutable: [info: UnroutableInfo];
}
