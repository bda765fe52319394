import { parseEventChannel } from './channel';
import { RedisBridgeError } from './errors';
import type { DurableEvent } from './event';
import { parsePayload } from './payload';
import type { TraceCarrier } from './tracing';

/** Stream entry fields written by {@link streamEntryFields}. */
const F_SOURCE = 'source';
const F_NAME = 'name';
const F_PAYLOAD = 'payload';
const F_ORIGIN = 'origin';

/** A stream entry as XREADGROUP / XAUTOCLAIM return it (fields null once trimmed away). */
export type RawEntry = [id: string, fields: string[] | null];

/** Fields of a durable event entry, in XADD order. */
export function streamEntryFields(source: string, name: string, payload: string, origin: string | undefined, carrier: TraceCarrier = {}): string[] {
  const fields = [F_SOURCE, source, F_NAME, name, F_PAYLOAD, payload];
  if (origin !== undefined) fields.push(F_ORIGIN, origin);
  for (const [k, v] of Object.entries(carrier)) fields.push(k, v);
  return fields;
}

/**
 * The event of a stream entry written by {@link streamEntryFields}; `PB_REDIS_INVALID_PAYLOAD`
 * for an entry that lacks its fields or whose payload is not a JSON object.
 */
export function entryToEvent(stream: string, id: string, fields: string[], deliveries: number, streamPrefix: string, instanceId: string): DurableEvent {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
  const raw = map.get(F_PAYLOAD);
  const source = map.get(F_SOURCE);
  if (raw === undefined || source === undefined) {
    throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Entry ${id} of ${stream} lacks the "${F_SOURCE}" or "${F_PAYLOAD}" field; publish durable events with bridge.publish(…, { durable: true }).`);
  }
  const name = map.get(F_NAME) ?? stream.slice(streamPrefix.length);
  const payload = parsePayload(raw, `${stream} entry ${id}`);
  const origin = map.get(F_ORIGIN);
  const moduleId = parseEventChannel(`${source}/event/${name}`)?.moduleId;
  return {
    source,
    ...(moduleId === undefined ? {} : { moduleId }),
    name,
    payload,
    raw,
    id,
    ...(origin === undefined ? {} : { origin }),
    own: origin === instanceId,
    stream,
    deliveries,
  };
}
