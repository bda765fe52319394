import { OutboxError } from '../errors';
import type { EnqueueOptions } from '../types';

/** Checks an enqueue's arguments as the SQLite outbox does; returns what to store. */
export function checkEnqueue(channel: unknown, payload: unknown, options: EnqueueOptions): { json: string; metaJson: string | null; dedupeKey: string | null; delayMs: number } {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `A channel must be a non-empty string (got ${JSON.stringify(channel)}).`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" cannot be stored as JSON (${cause instanceof Error ? cause.message : String(cause)}); pass plain data.`, { cause });
  }
  if (json === undefined) throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" is not JSON data (got ${typeof payload}); pass plain data.`);
  const delayMs = options.delayMs ?? 0;
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `delayMs must be a finite number ≥ 0 (got ${String(delayMs)}).`);
  const meta = options.meta ?? {};
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `meta.${k} must be a string (got ${typeof v}); convert it before enqueuing.`);
  }
  return { json, metaJson: Object.keys(meta).length > 0 ? JSON.stringify(meta) : null, dedupeKey: options.dedupeKey ?? null, delayMs };
}

/** A finite number > 0 (an integer ≥ 1 when `integer`). */
export function positive(name: string, value: number, integer = false): number {
  const ok = integer ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value > 0;
  if (!ok) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `${name} must be ${integer ? 'an integer ≥ 1' : 'a finite number > 0'} (got ${value}).`);
  return value;
}
