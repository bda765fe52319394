import type Redis from 'ioredis';
import { markPayload } from './bridge-marks';
import type { BridgeStats, PublishOptions, PublishResult } from './bridge-types';
import { streamEntryFields } from './stream-entry';
import type { ResolvedDurableOptions } from './durable-options';
import { RedisBridgeError } from './errors';
import { describeError } from './logger';
import { serializePayload, type EventPayload } from './payload';
import type { TraceCarrier } from './tracing';

/** What publishing needs from the bridge that owns it. */
export interface SendContext {
  readonly publisher: Redis;
  readonly durable: ResolvedDurableOptions | undefined;
  /** `module/<moduleId>`. */
  readonly source: string;
  readonly originField: string | undefined;
  readonly instanceId: string;
  /** The bridge's counters, updated in place. */
  readonly counters: Omit<BridgeStats, 'durable'>;
}

/** XADDs the event to its stream when durable, then PUBLISHes it; any failure is `PB_REDIS_PUBLISH_FAILED` (or the config error). */
export async function sendEvent(
  ctx: SendContext,
  event: string,
  channel: string,
  payload: EventPayload,
  carrier: TraceCarrier,
  options: PublishOptions,
): Promise<PublishResult> {
  const message = serializePayload(markPayload({ ...payload, ...carrier }, ctx.originField, ctx.instanceId), channel);
  let id: string | undefined;
  try {
    if (options.durable) {
      const durable = ctx.durable;
      if (!durable) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish("${event}", …, { durable: true }) needs the bridge's "durable" options.`);
      const stored = await ctx.publisher.xadd(
        `${durable.streamPrefix}${event}`, 'MAXLEN', '~', durable.maxLen, '*',
        ...streamEntryFields(ctx.source, event, serializePayload(payload, channel), ctx.instanceId, carrier),
      );
      id = stored ?? undefined;
    }
    const receivers = await ctx.publisher.publish(channel, message);
    ctx.counters.published += 1;
    return id === undefined ? { receivers } : { receivers, id };
  } catch (cause) {
    if (cause instanceof RedisBridgeError) throw cause;
    throw new RedisBridgeError('PB_REDIS_PUBLISH_FAILED', `Publishing "${event}" on ${channel} failed: ${describeError(cause)}. Check the Redis connection; the event was not delivered.`, { cause });
  }
}
