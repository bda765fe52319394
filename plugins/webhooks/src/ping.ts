import { randomUUID } from 'node:crypto';
import { unknownEndpoint } from './endpoint-model';
import type { EndpointStore } from './endpoint-store';
import type { WebhookHttpClient } from './http-client';
import { envelopeBody, signatureHeaders } from './signing';

/** The event type of a test ping: receivers can recognise and ignore it. */
export const PING_EVENT = 'plugboard.ping';

/** What the endpoint answered to a test ping (never thrown: a failing endpoint is the answer). */
export type PingResult =
  | { readonly ok: boolean; readonly statusCode: number; readonly detail: string; readonly durationMs: number }
  | { readonly ok: false; readonly error: string; readonly durationMs: number };

/**
 * Sends one signed `plugboard.ping` envelope to an endpoint now, not through the outbox, whether
 * or not the endpoint is enabled or subscribed, and reports the answer: `ok` for a 2xx.
 * The endpoint is never disabled by a ping (a 410 is reported, not acted on).
 *
 * @example
 * ```ts
 * const result = await pingEndpoint(webhooks.store, webhooks.client, 'crm');
 * if (!result.ok) console.log('error' in result ? result.error : result.statusCode);
 * ```
 */
export async function pingEndpoint(store: EndpointStore, client: WebhookHttpClient, idOrName: string): Promise<PingResult> {
  const target = await store.deliveryTarget(idOrName);
  if (target === undefined) throw unknownEndpoint(idOrName);
  const { endpoint, url, secrets } = target;
  const id = `ping_${randomUUID()}`;
  const at = new Date();
  const body = envelopeBody({ type: PING_EVENT, id, timestamp: at.toISOString(), data: { endpoint: endpoint.name } });
  const headers = signatureHeaders(secrets, id, at, body);
  const started = performance.now();
  try {
    const res = await client.post({ url, safeUrl: endpoint.url, body, headers: { ...headers } });
    return { ok: res.status >= 200 && res.status < 300, statusCode: res.status, detail: res.bodyExcerpt.slice(0, 200), durationMs: performance.now() - started };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), durationMs: performance.now() - started };
  }
}
