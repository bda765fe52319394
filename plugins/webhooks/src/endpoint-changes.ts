import { randomUUID } from 'node:crypto';
import { sealStored, type SecretBox } from '@plugboard/core';
import type { Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import { endpointExists, endpointInputSchema, endpointPatchSchema, invalidEndpoint, unknownEndpoint, type EndpointInput, type EndpointPatch } from './endpoint-model';
import { openedRow } from './endpoint-rows';
import { endpointRow, updateEndpoint } from './endpoint-works';
import { assertValidSecret, generateSecret } from './signing';
import type { EndpointRow, WebhookTables } from './webhook-tables';

type K = Kysely<WebhookTables>;

/** The row of a new endpoint (sealed when a key is set) and the secret generated for it, if any. */
export function newEndpointRow(box: SecretBox | undefined, input: EndpointInput): { row: EndpointRow; generatedSecret?: string } {
  const parsed = endpointInputSchema.safeParse(input);
  if (!parsed.success) throw invalidEndpoint(parsed.error, 'webhook endpoint');
  const value = parsed.data;
  const given = value.secrets ?? [];
  given.forEach(assertValidSecret);
  const generatedSecret = given.length === 0 ? generateSecret() : undefined;
  const now = Date.now();
  const row: EndpointRow = {
    id: randomUUID(),
    name: value.name,
    url: sealStored(box, value.url),
    secrets: sealStored(box, JSON.stringify(generatedSecret === undefined ? given : [generatedSecret])),
    events: JSON.stringify(value.events ?? []),
    realms: JSON.stringify(value.realms ?? []),
    enabled: value.enabled === false ? 0 : 1,
    disabled_reason: null,
    created_at: now,
    updated_at: now,
  };
  return generatedSecret === undefined ? { row } : { row, generatedSecret };
}

/** The endpoint's row opened, or `PB_WEBHOOK_ENDPOINT_UNKNOWN`. */
export function* requireRowWork(k: K, box: SecretBox | undefined, idOrName: string): Work<EndpointRow> {
  const row = yield* endpointRow(k, idOrName);
  if (!row) throw unknownEndpoint(idOrName);
  return openedRow(box, row);
}

/** Applies a patch in one transaction (read, check, write); returns the endpoint's id. */
export function* patchWork(k: K, box: SecretBox | undefined, idOrName: string, patch: EndpointPatch): Work<string> {
  const row = yield* requireRowWork(k, box, idOrName);
  const parsed = endpointPatchSchema.safeParse(patch);
  if (!parsed.success) throw invalidEndpoint(parsed.error, `changes to webhook endpoint "${row.name}"`);
  const p = parsed.data;
  if (p.name !== undefined && p.name !== row.name && (yield* endpointRow(k, p.name)) !== undefined) throw endpointExists(p.name);
  const enabled = p.enabled ?? Number(row.enabled) === 1;
  yield* updateEndpoint(k, row.id, {
    name: p.name ?? row.name,
    url: sealStored(box, p.url ?? row.url),
    events: p.events ? JSON.stringify(p.events) : row.events,
    realms: p.realms ? JSON.stringify(p.realms) : row.realms,
    enabled: enabled ? 1 : 0,
    disabled_reason: enabled ? null : row.disabled_reason,
    updated_at: Date.now(),
  });
  return row.id;
}

/** Changes an endpoint's secret list in one transaction; returns the row opened, as written. */
export function* secretsWork(k: K, box: SecretBox | undefined, idOrName: string, change: (secrets: string[]) => string[]): Work<EndpointRow> {
  const row = yield* requireRowWork(k, box, idOrName);
  const secrets = JSON.stringify(change(JSON.parse(row.secrets) as string[]));
  yield* updateEndpoint(k, row.id, { secrets: sealStored(box, secrets), updated_at: Date.now() });
  return { ...row, secrets };
}
