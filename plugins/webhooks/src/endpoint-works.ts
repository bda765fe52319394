import { all, exec, first, notify, param, prepare, type Work } from '@plugboard/sql';
import type { Kysely, Updateable } from 'kysely';
import type { DeliveryRow, EndpointRow, WebhookTables } from './webhook-tables';

/** Topic of every endpoint write: routing caches in every process reload on it. */
export const ENDPOINTS_TOPIC = 'webhook-endpoints';

type K = Kysely<WebhookTables>;

/** The endpoint with this id or name, as stored. */
export function* endpointRow(k: K, idOrName: string): Work<EndpointRow | undefined> {
  return yield* first(k.selectFrom('webhooks_endpoints').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])));
}

/** Every endpoint by name, as stored. */
export function* endpointRows(k: K): Work<EndpointRow[]> {
  return yield* all(k.selectFrom('webhooks_endpoints').selectAll().orderBy('name'));
}

/** Inserts an endpoint unless its name is taken; false when it is. */
export function* insertEndpoint(k: K, row: EndpointRow): Work<boolean> {
  const inserted = yield* exec(k.insertInto('webhooks_endpoints').values(row).onConflict((oc) => oc.column('name').doNothing()));
  if (inserted > 0) yield* notify(ENDPOINTS_TOPIC, row.id);
  return inserted > 0;
}

/** Changes the columns of one endpoint; false when it no longer exists. */
export function* updateEndpoint(k: K, id: string, set: Updateable<EndpointRow>): Work<boolean> {
  const changed = yield* exec(k.updateTable('webhooks_endpoints').set(set).where('id', '=', id));
  if (changed > 0) yield* notify(ENDPOINTS_TOPIC, id);
  return changed > 0;
}

/** Deletes an endpoint and its delivery log index. */
export function* deleteEndpoint(k: K, id: string): Work<boolean> {
  const deleted = yield* exec(k.deleteFrom('webhooks_endpoints').where('id', '=', id));
  yield* exec(k.deleteFrom('webhooks_deliveries').where('endpoint_id', '=', id));
  if (deleted > 0) yield* notify(ENDPOINTS_TOPIC, id);
  return deleted > 0;
}

/**
 * The work indexing a queued message under its endpoint (a message already indexed is left as it
 * is). It runs for every message published, so the statement is built and compiled once per
 * database and only its parameters change.
 */
export function deliveryInserter(k: K): (row: DeliveryRow) => Work<number> {
  const insert = prepare(
    k
      .insertInto('webhooks_deliveries')
      .values({ message_id: param<string>('message_id'), endpoint_id: param<string>('endpoint_id'), event: param<string>('event'), created_at: param<number>('created_at') })
      .onConflict((oc) => oc.column('message_id').doNothing()),
  );
  return (row) => exec(insert(row));
}

/** The messages queued for an endpoint, newest first. */
export function* deliveryRows(k: K, endpointId: string, limit: number, offset: number): Work<DeliveryRow[]> {
  return yield* all(k.selectFrom('webhooks_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('seq', 'desc').limit(limit).offset(offset));
}
