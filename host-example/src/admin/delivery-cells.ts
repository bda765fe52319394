import { maskUrl } from '@plugboard/core';
import type { AttemptRecord, OutboxMessage } from '@plugboard/outbox';
import { html, type SafeHtml } from './html';
import { maskSecrets } from './mask';

/**
 * The part of a message id that tells messages apart: ids are UUIDv7, whose first characters are
 * the creation time (equal for every message of a minute), so the random tail is shown.
 *
 * @example
 * ```ts
 * shortId('0193a8f2-7c1e-7abc-9def-0123456789ab'); // '456789ab'
 * ```
 */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}

// What an attempt's error promised while attempts remained; untrue once the message is dead.
const RETRY_PROMISE = /[;,]?\s*(?:it|the message) will be (?:tried again|retried|delivered again)[^.]*\.?/gi;

/** An error as it reads for a message in `state`: a dead letter's error promises no further attempt. */
export function errorText(error: string, state: OutboxMessage['state'] | AttemptRecord['outcome']): string {
  if (state !== 'dead') return error;
  const cut = error.replace(RETRY_PROMISE, '.').replace(/\.{2,}$/, '.').trim();
  return `${cut} No further attempt will be made: it is a dead letter (Retry queues it again).`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

function addresses(to: unknown): string[] {
  if (Array.isArray(to)) return to.flatMap(addresses);
  if (typeof to === 'string') return [to];
  if (to !== null && typeof to === 'object' && 'address' in to && typeof to.address === 'string') return [to.address];
  return [];
}

/** Finds a webhook endpoint by id (its name and URL), so a webhook message names where it goes. */
export type EndpointLookup = (id: string) => { readonly name: string; readonly url: string } | undefined;

/**
 * Where a message goes, without secrets: the mail recipients, the SMS number, the webhook
 * endpoint (name and origin) or trigger, a URL with its password and query values masked.
 *
 * @example
 * ```ts
 * destination({ to: [{ address: 'a@x.org' }, { address: 'b@y.org' }] }); // 'a@x.org, b@y.org'
 * ```
 */
export function destination(payload: unknown, endpoint?: EndpointLookup): string {
  if (payload === null || typeof payload !== 'object') return '';
  const p = payload as Record<string, unknown>;
  const mail = addresses(p.to);
  if (mail.length > 0) return mail.join(', ');
  if (typeof p.phone === 'string') return p.phone;
  if (typeof p.url === 'string') return maskUrl(p.url);
  if (p.kind === 'endpoint' && typeof p.endpointId === 'string') {
    const found = endpoint?.(p.endpointId);
    // Only the origin: some receivers carry a token in the path, and the page must show no secret.
    return found === undefined ? `webhook endpoint ${p.endpointId}` : `webhook ${found.name} (${originOf(found.url)})`;
  }
  if (p.kind === 'trigger' && typeof p.trigger === 'string') return `webhook trigger ${p.trigger}`;
  if (typeof p.script === 'string') return `script ${p.script}`;
  return '';
}

function valueBlock(value: unknown): SafeHtml {
  // A text with line breaks (a mail body, an SMS) reads as text; objects as indented JSON.
  if (typeof value === 'string') return value.includes('\n') ? html`<pre class="payload-text">${value}</pre>` : html`<span>${value}</span>`;
  if (value === null || typeof value !== 'object') return html`<span>${String(value)}</span>`;
  return html`<pre class="payload-json">${JSON.stringify(value, null, 2)}</pre>`;
}

/** A payload, secrets masked, as a list of its fields: readable text bodies and pretty-printed JSON. */
export function payloadBlock(payload: unknown): SafeHtml {
  const masked = maskSecrets(payload);
  if (masked === null || typeof masked !== 'object' || Array.isArray(masked)) return valueBlock(masked);
  const fields = Object.entries(masked as Record<string, unknown>);
  return html`<details class="payload"><summary>${fields.length} field${fields.length === 1 ? '' : 's'}</summary><dl>${fields.map(
    ([k, v]) => html`<dt>${k}</dt><dd>${valueBlock(v)}</dd>`,
  )}</dl></details>`;
}
