import { PlugboardError } from '@plugboard/core';

// The union is derived from the registry, the one list of this package's codes.
import type { WebhookErrorCode } from './error-codes';
export type { WebhookErrorCode };

/**
 * Every error of this package: a {@link PlugboardError} with a `PB_WEBHOOK_*` code.
 * Messages and causes never contain a secret or a trigger token (URLs are shown masked).
 *
 * @example
 * ```ts
 * try { webhooks.store.create({ name: 'x', url: 'ftp://nope' }); }
 * catch (e) { if (e instanceof WebhookError && e.code === 'PB_WEBHOOK_ENDPOINT_INVALID') console.log(e.message); }
 * ```
 */
export class WebhookError extends PlugboardError {
  declare readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string, details: { cause?: unknown; extension?: string } = {}) {
    super(code, message, details);
  }
}

/** The outbound address guard refused a destination (private, loopback, link-local … address). */
export class AddressRefusedError extends WebhookError {
  /** The refused IP address (IPv4-mapped IPv6 forms are reported as IPv4). */
  readonly address: string;
  /** The host name that resolved to it, when the URL named a host. */
  readonly hostname?: string;
  /** The ipaddr.js range name of the address, e.g. `loopback`, `private`, `linkLocal`. */
  readonly range: string;

  constructor(address: string, range: string, hostname?: string) {
    const via = hostname !== undefined && hostname !== address ? ` (resolved from "${hostname}")` : '';
    super(
      'PB_WEBHOOK_ADDRESS_REFUSED',
      `Refused to connect to ${address}${via}: it is a ${range} address and webhooks may only reach public unicast addresses. ` +
        `If this destination is intended, add it to the guard's allow list (e.g. allow: ['${address}'] or a CIDR).`,
    );
    this.address = address;
    this.range = range;
    if (hostname !== undefined) this.hostname = hostname;
  }
}

/** Details of a failed HTTP delivery. */
export interface DeliveryFailure {
  /** HTTP status of the receiver's answer, when there was one. */
  readonly statusCode?: number;
  /** Whether trying again later may succeed (5xx, 429, timeout, connection error). */
  readonly retryable: boolean;
  /** Delay the receiver asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * A webhook could not be delivered. Thrown by standalone triggers (`trigger()` without an
 * outbox); through the outbox the same classification becomes a retry or a dead letter.
 */
export class WebhookDeliveryError extends WebhookError {
  readonly statusCode?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, failure: DeliveryFailure) {
    super('PB_WEBHOOK_DELIVERY_FAILED', message, failure.cause === undefined ? {} : { cause: failure.cause });
    this.retryable = failure.retryable;
    if (failure.statusCode !== undefined) this.statusCode = failure.statusCode;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
  }
}
