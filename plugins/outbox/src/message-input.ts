import { withTraceContext } from './delivery-tracing';
import { errorMessage } from './error-message';
import { OutboxError } from './errors';
import type { EnqueueOptions } from './types';

/** Throws `PB_OUTBOX_INVALID_OPTIONS` unless `channel` is a non-empty string. */
export function checkChannel(channel: unknown): void {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `A channel must be a non-empty string (got ${JSON.stringify(channel)}).`);
  }
}

/** The payload as stored: JSON, or `PB_OUTBOX_INVALID_PAYLOAD` for what JSON cannot hold. */
export function serialise(channel: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" cannot be stored as JSON (${errorMessage(cause)}); pass plain data.`, { cause });
  }
  if (json === undefined) {
    throw new OutboxError('PB_OUTBOX_INVALID_PAYLOAD', `The payload for channel "${channel}" is not JSON data (got ${typeof payload}); pass plain data.`);
  }
  return json;
}

/** Throws `PB_OUTBOX_INVALID_OPTIONS` unless `delayMs` is a finite number ≥ 0. */
export function checkDelay(delayMs: number): void {
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `delayMs must be a finite number ≥ 0 (got ${String(delayMs)}).`);
  }
}

/** The meta as stored (null when empty); every value must be a string. */
export function serialiseMeta(meta: Readonly<Record<string, unknown>>): string | null {
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') {
      throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `meta.${k} must be a string (got ${typeof v}); convert it before enqueuing.`);
    }
  }
  return Object.keys(meta).length > 0 ? JSON.stringify(meta) : null;
}

/** Throws unless `deliverer` is a function and `channel` has none yet in `registered`. */
export function checkDeliverer(channel: string, deliverer: unknown, registered: ReadonlyMap<string, unknown>): void {
  if (typeof deliverer !== 'function') {
    throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `The deliverer of channel "${channel}" must be a function.`);
  }
  if (registered.has(channel)) {
    throw new OutboxError(
      'PB_OUTBOX_DUPLICATE_CHANNEL',
      `Channel "${channel}" already has a deliverer; call the function returned by register() first to replace it.`,
    );
  }
}

/** An enqueue's arguments, checked, as both outboxes store them. */
export interface EnqueueInput {
  readonly json: string;
  /** With the caller's trace context, so the delivery (in any process, after a restart) continues its trace. */
  readonly meta: Readonly<Record<string, string>>;
  readonly metaJson: string | null;
  readonly dedupeKey: string | null;
  readonly delayMs: number;
}

/** Checks an enqueue's channel, payload and options; throws the coded error naming what is wrong. */
export function enqueueInput(channel: string, payload: unknown, options: EnqueueOptions): EnqueueInput {
  checkChannel(channel);
  const json = serialise(channel, payload);
  const delayMs = options.delayMs ?? 0;
  checkDelay(delayMs);
  const meta = withTraceContext(options.meta ?? {});
  return { json, meta, metaJson: serialiseMeta(meta), dedupeKey: options.dedupeKey ?? null, delayMs };
}
