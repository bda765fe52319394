import { PlugboardError } from '@plugboard/core';

// The union is derived from the registry, the one list of this package's codes.
import type { OutboxErrorCode } from './error-codes';
export type { OutboxErrorCode };

/**
 * An error of the outbox (bad options, unknown message, closed outbox...). Match on `code`.
 *
 * @example
 * ```ts
 * try { outbox.retry(id); }
 * catch (e) { if (e instanceof OutboxError && e.code === 'PB_OUTBOX_UNKNOWN_MESSAGE') reply(404); }
 * ```
 */
export class OutboxError extends PlugboardError {
  declare readonly code: OutboxErrorCode;

  constructor(code: OutboxErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Details of a delivery failure reported by a deliverer. */
export interface DeliveryErrorOptions {
  /** Status code of the receiver (SMTP reply code, HTTP status). */
  readonly statusCode?: number;
  readonly cause?: unknown;
}

/**
 * Thrown by a deliverer when retrying cannot help (SMTP 5xx, HTTP 4xx other than 408/429):
 * the message goes to the dead-letter state at once, where `retry(id)` can revive it.
 *
 * @example
 * ```ts
 * if (res.status === 404) throw new PermanentDeliveryError(`endpoint answered 404`, { statusCode: 404 });
 * ```
 */
export class PermanentDeliveryError extends PlugboardError {
  declare readonly code: 'PB_OUTBOX_PERMANENT';
  readonly statusCode?: number;

  constructor(message: string, options: DeliveryErrorOptions = {}) {
    super('PB_OUTBOX_PERMANENT', message, { cause: options.cause });
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
  }
}

/**
 * Thrown by a deliverer for a temporary failure (SMTP 4xx, HTTP 5xx/429, connection refused):
 * the message is retried with backoff, or after `retryAfterMs` when the receiver said when
 * (HTTP `Retry-After`). Any other thrown error is treated the same way.
 *
 * @example
 * ```ts
 * if (res.status === 429) throw new RetryableDeliveryError('rate limited', { statusCode: 429, retryAfterMs: 2000 });
 * ```
 */
export class RetryableDeliveryError extends PlugboardError {
  declare readonly code: 'PB_OUTBOX_RETRYABLE';
  readonly statusCode?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: DeliveryErrorOptions & { readonly retryAfterMs?: number } = {}) {
    super('PB_OUTBOX_RETRYABLE', message, { cause: options.cause });
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Facts the outbox reads from a thrown value; recognised by `code` too, so copies of this package interoperate. */
export interface FailureFacts {
  readonly permanent: boolean;
  readonly statusCode?: number;
  readonly retryAfterMs?: number;
  readonly message: string;
}

/** Classifies whatever a deliverer threw. */
export function failureFacts(err: unknown): FailureFacts {
  const obj = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : undefined;
  const code = obj?.code;
  const statusCode = typeof obj?.statusCode === 'number' ? obj.statusCode : undefined;
  const retryAfter = obj?.retryAfterMs;
  const retryAfterMs =
    code === 'PB_OUTBOX_RETRYABLE' && typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
      ? retryAfter
      : undefined;
  return {
    permanent: err instanceof PermanentDeliveryError || code === 'PB_OUTBOX_PERMANENT',
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    message: err instanceof Error ? err.message : typeof err === 'string' ? err : safeString(err),
  };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
