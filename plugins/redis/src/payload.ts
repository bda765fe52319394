import { RedisBridgeError } from './errors';

/** An event payload: a JSON object, as every NethServer event takes. */
export type EventPayload = Record<string, unknown>;

/**
 * True for a plain object (not an array, not null, not a class instance such as Date or Map).
 * @example
 * ```ts
 * isJsonObject({ a: 1 }); // true
 * isJsonObject([1]);      // false
 * ```
 */
export function isJsonObject(value: unknown): value is EventPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Parses a message into a JSON object payload; throws `PB_REDIS_INVALID_PAYLOAD` when the
 * text is not JSON or is JSON but not an object (array, string, number, null).
 * @example
 * ```ts
 * parsePayload('{"field": "value"}', 'module/traefik1/event/test'); // { field: 'value' }
 * parsePayload('[1]', 'module/traefik1/event/test');                // throws RedisBridgeError
 * ```
 */
export function parsePayload(raw: string, where: string): EventPayload {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Message on ${where} is not JSON; events take a JSON object such as {"field": "value"}.`, { cause });
  }
  if (!isJsonObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Message on ${where} is ${kind}, not a JSON object; events take a JSON object such as {"field": "value"}.`);
  }
  return value;
}

/**
 * Serialises a payload given as an object or as JSON text. Text is checked and kept
 * byte for byte (so `signal` publishes exactly what `redis-cli PUBLISH` would).
 */
export function serializePayload(payload: EventPayload | string, where: string): string {
  if (typeof payload === 'string') {
    parsePayload(payload, where);
    return payload;
  }
  if (!isJsonObject(payload)) {
    throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Payload for ${where} must be a plain JSON object; map your values to one, e.g. { id: account.id }.`);
  }
  try {
    return JSON.stringify(payload);
  } catch (cause) {
    throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Payload for ${where} cannot be serialised to JSON (circular or BigInt value); map it to plain data.`, { cause });
  }
}
