import { openStored, type SecretBox } from '@plugboard/core';
import { exec, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { MASK, type WebhookEndpoint } from './endpoint-model';
import { endpointRows } from './endpoint-works';
import type { EndpointRow, WebhookTables } from './webhook-tables';

/** The row with its URL and secrets in plain text (sealed at rest when a key is set). */
export function openedRow(box: SecretBox | undefined, row: EndpointRow): EndpointRow {
  const what = `Webhook endpoint "${row.name}"`;
  return { ...row, url: openStored(box, row.url, what), secrets: openStored(box, row.secrets, what) };
}

/** The endpoint an opened row shows callers: secrets masked. */
export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  const secrets = JSON.parse(row.secrets) as string[];
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    secrets: secrets.map(() => MASK),
    events: JSON.parse(row.events) as string[],
    realms: JSON.parse(row.realms) as string[],
    enabled: Number(row.enabled) === 1,
    ...(row.disabled_reason !== null ? { disabledReason: row.disabled_reason } : {}),
    // PostgreSQL's bigint comes back as a string.
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/**
 * Seals every URL and secret list not sealed with the current key (plaintext from earlier
 * releases, or a previous key after a rotation); returns how many rows changed.
 */
export function* resealWork(k: Kysely<WebhookTables>, box: SecretBox): Work<number> {
  const stale = (yield* endpointRows(k)).filter((r) => box.needsReseal(r.url) || box.needsReseal(r.secrets));
  for (const r of stale) {
    yield* exec(k.updateTable('webhooks_endpoints').set({ url: box.seal(box.open(r.url)), secrets: box.seal(box.open(r.secrets)) }).where('id', '=', r.id));
  }
  return stale.length;
}
