import { hostname } from 'node:os';
import { RedisBridgeError } from './errors';

/** Options of the durable mode (Redis Streams with a consumer group). */
export interface DurableOptions {
  /**
   * Consumer group: one per consuming service (`worker`, `audit` …). Every group gets
   * every durable event once; the consumers of one group share its events. Required to
   * consume; a process that only publishes durable events may leave it out.
   */
  readonly group?: string;
  /** This consumer's name in the group; default `<hostname>:<pid>:<random>`. A stable name lets a restarted consumer take back its own pending entries at once. */
  readonly consumer?: string;
  /** Prefix of stream keys; the stream of event `x` is `<streamPrefix>x`. Default `events/`. */
  readonly streamPrefix?: string;
  /** Stream that receives entries delivered `maxDeliveries` times without success. Default `<streamPrefix>_dead-letter`. */
  readonly deadLetterStream?: string;
  /** Approximate length each stream is trimmed to on XADD (`MAXLEN ~`). Default 100 000. */
  readonly maxLen?: number;
  /** Entries read per XREADGROUP / XAUTOCLAIM call. Default 32. */
  readonly batchSize?: number;
  /** How long one XREADGROUP blocks waiting for new entries, in ms. Default 1000. */
  readonly blockMs?: number;
  /** An entry pending (unacknowledged) this long is taken over by XAUTOCLAIM, in ms. Default 30 000. */
  readonly claimIdleMs?: number;
  /** How often to look for such entries, in ms. Default min(claimIdleMs, 5000). */
  readonly claimIntervalMs?: number;
  /** Deliveries after which an entry goes to the dead-letter stream instead of a handler. Default 5. */
  readonly maxDeliveries?: number;
  /** Where a newly created group starts: `$` new entries only (default), `0` everything the stream still holds. */
  readonly startId?: '$' | '0';
  /**
   * Start even when the Redis server keeps nothing on disk (no AOF, no RDB `save`). Default false:
   * `start()` refuses with `PB_REDIS_VOLATILE`, because a Redis restart would silently lose every
   * event published but not yet consumed. With true, the bridge starts and logs one warning.
   */
  readonly allowVolatile?: boolean;
}

/** {@link DurableOptions} with every default applied (`group` is `''` when not given). */
export type ResolvedDurableOptions = Required<DurableOptions>;

/** Applies defaults and rejects values that cannot work. */
export function resolveDurableOptions(options: DurableOptions): ResolvedDurableOptions {
  const streamPrefix = options.streamPrefix ?? 'events/';
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const resolved: ResolvedDurableOptions = {
    group: options.group ?? '',
    consumer: options.consumer ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    streamPrefix,
    deadLetterStream: options.deadLetterStream ?? `${streamPrefix}_dead-letter`,
    maxLen: options.maxLen ?? 100_000,
    batchSize: options.batchSize ?? 32,
    blockMs: options.blockMs ?? 1000,
    claimIdleMs,
    claimIntervalMs: options.claimIntervalMs ?? Math.min(claimIdleMs, 5000),
    maxDeliveries: options.maxDeliveries ?? 5,
    startId: options.startId ?? '$',
    allowVolatile: options.allowVolatile ?? false,
  };
  for (const key of ['maxLen', 'batchSize', 'blockMs', 'claimIdleMs', 'claimIntervalMs', 'maxDeliveries'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new RedisBridgeError('PB_REDIS_CONFIG', `durable.${key} must be a positive integer; got ${String(value)}.`);
    }
  }
  return resolved;
}
