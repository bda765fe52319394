import { createHmac, randomBytes } from 'node:crypto';
import { WebhookError } from './errors';

/** Prefix of Standard Webhooks secrets. */
export const SECRET_PREFIX = 'whsec_';

/** The three Standard Webhooks headers of a signed request. */
export interface SignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** The JSON body of a generic webhook (Standard Webhooks envelope). */
export interface WebhookEnvelope {
  /** The event name, e.g. `AccountCreated`. */
  readonly type: string;
  /** Stable message id (the outbox message id), equal to the `webhook-id` header. */
  readonly id: string;
  /** When the event happened (ISO 8601). */
  readonly timestamp: string;
  readonly data: unknown;
}

/**
 * Creates a new random signing secret (`whsec_` + 32 random bytes, base64).
 *
 * @example
 * ```ts
 * const secret = generateSecret();   // 'whsec_…' — give it to the receiver once
 * ```
 */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** Throws a {@link WebhookError} unless `secret` is `whsec_` + base64 of 24 to 64 bytes. */
export function assertValidSecret(secret: string): void {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    throw new WebhookError(
      'PB_WEBHOOK_ENDPOINT_INVALID',
      'A webhook secret must be "whsec_" followed by base64 of 24 to 64 random bytes; create one with generateSecret().',
    );
  }
}

/** Serialises the envelope of one event; the exact bytes are what gets signed. */
export function envelopeBody(envelope: WebhookEnvelope): string {
  return JSON.stringify({ type: envelope.type, id: envelope.id, timestamp: envelope.timestamp, data: envelope.data });
}

/**
 * Signs `body` per Standard Webhooks with every active secret: one `v1,<base64>` per
 * secret, space-separated, so receivers holding either the old or the new secret during
 * a rotation can verify.
 *
 * @example
 * ```ts
 * const headers = signatureHeaders([secret], msg.id, new Date(), body);
 * // { 'webhook-id': msg.id, 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,…' }
 * ```
 */
export function signatureHeaders(secrets: readonly string[], id: string, at: Date, body: string): SignatureHeaders {
  if (secrets.length === 0) {
    throw new WebhookError('PB_WEBHOOK_ENDPOINT_INVALID', `Cannot sign webhook ${id}: the endpoint has no secret; add one with store.addSecret().`);
  }
  const timestamp = String(Math.floor(at.getTime() / 1000));
  // Signed here with node:crypto; tests verify with the independent `standardwebhooks` package.
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
    return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  });
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  };
}
