import { PlugboardError } from '@plugboard/core';
import type { HostErrorCode } from './error-codes';

export type { HostErrorCode };

/** The HTTP status the API answers each {@link HostError} code with (part of {@link API_ERROR_STATUS}). */
export const HOST_ERROR_STATUS = {
  PB_HOST_INVALID: 400,
  PB_HOST_UNAUTHENTICATED: 401,
  PB_HOST_FORBIDDEN: 403,
  PB_HOST_VETOED: 403,
  PB_HOST_NOT_FOUND: 404,
  PB_HOST_CONFLICT: 409,
  PB_HOST_THROTTLED: 429,
  PB_HOST_TOO_LARGE: 413,
  PB_HOST_UNSUPPORTED_MEDIA_TYPE: 415,
} as const satisfies Record<HostErrorCode, number>;

/**
 * An error of the host's service layer. The API maps `code` to an HTTP status;
 * `field` names the offending input field, `extension` the extension that refused.
 *
 * @example
 * ```ts
 * throw new HostError('PB_HOST_NOT_FOUND', 'Domain 12 does not exist; list domains with GET /api/domains.');
 * ```
 */
export class HostError extends PlugboardError {
  readonly status: number;
  readonly field?: string;
  /** Why an extension refused, when it said so. */
  readonly reason?: string;
  /** For `PB_HOST_THROTTLED`: when to try again (the API's `Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(code: HostErrorCode, message: string, details: { field?: string; extension?: string; hook?: string; reason?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(code, message, details);
    this.status = HOST_ERROR_STATUS[code];
    if (details.field !== undefined) this.field = details.field;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** 400 naming the field. */
export function invalid(field: string, message: string): HostError {
  return new HostError('PB_HOST_INVALID', `Invalid "${field}": ${message}`, { field });
}

/** 403 for a role that may not do this. */
export function forbidden(message: string): HostError {
  return new HostError('PB_HOST_FORBIDDEN', message);
}

/** 404. */
export function notFound(what: string, key: string | number): HostError {
  return new HostError('PB_HOST_NOT_FOUND', `${what} ${JSON.stringify(key)} does not exist or is not visible to you.`);
}

/** 409. */
export function conflict(field: string, message: string): HostError {
  return new HostError('PB_HOST_CONFLICT', message, { field });
}
