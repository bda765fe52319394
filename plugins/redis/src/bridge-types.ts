import type { ArgsOf, ErrorPolicy, HookBus, HookName, HookSpecs } from '@plugboard/core';
import type { RedisConnection } from './connection';
import type { DurableStats } from './durable-stats';
import type { DurableOptions } from './durable-options';
import type { BridgeEvent } from './event';
import type { BridgeLogger } from './logger';
import type { EventPayload } from './payload';

/** How one local hook is published to Redis. */
export interface PublishRule<A extends readonly unknown[] = readonly unknown[]> {
  /** Event name, kebab-case past tense (`account-created`); a name that does not look past tense is warned about. */
  readonly event: string;
  /** Maps the hook's arguments to the JSON object payload: keep it minimal (ids, names), never secrets. */
  readonly payload: (...args: A) => EventPayload;
  /**
   * Also append the event to its Redis stream (durable mode) and make the hook call wait
   * until Redis stored it. Default false: a fire-and-forget PUBLISH.
   */
  readonly durable?: boolean;
}

/** Hook name → how it is published. */
export type PublishMap<T extends HookSpecs> = { readonly [K in HookName<T>]?: PublishRule<ArgsOf<T[K]>> };

/** How an event from Redis is raised into one local hook. */
export interface RaiseRuleFor<K extends string, A extends readonly unknown[]> {
  /** The event name to listen for (`account-created`, or `test` from another tool). */
  readonly event: string;
  /** The local hook to call. */
  readonly hook: K;
  /** Maps the payload (and the event) to the hook's arguments. */
  readonly args: (payload: EventPayload, event: BridgeEvent) => A;
  /** Only events from this source (`module/mail1`) or accepted by this test. Default: any source. */
  readonly source?: string | ((source: string) => boolean);
  /** Read the event from its stream with the consumer group (at-least-once) instead of pub/sub. */
  readonly durable?: boolean;
  /**
   * Error policy of the hook call. Default: the hook's own for pub/sub; `aggregate` for
   * durable rules, so a failing listener leaves the entry pending and it is retried.
   */
  readonly policy?: ErrorPolicy;
}

/** One raise rule of catalogue `T` (the `args` mapper is typed by the chosen hook). */
export type RaiseRule<T extends HookSpecs> = { [K in HookName<T>]: RaiseRuleFor<K, ArgsOf<T[K]>> }[HookName<T>];

/** Options of a {@link RedisEventBridge}. */
export interface RedisEventBridgeOptions<T extends HookSpecs> {
  /** This process's module id: events are published on `module/<moduleId>/event/<name>`. */
  readonly moduleId: string;
  /** Redis to use (default 127.0.0.1:6379). */
  readonly redis?: RedisConnection;
  /** The hook bus to publish from and raise into. Needed by `publish` and `raise`. */
  readonly bus?: HookBus<T>;
  /** Local hooks published to Redis. */
  readonly publish?: PublishMap<T>;
  /** Events from Redis raised into local hooks. */
  readonly raise?: readonly RaiseRule<T>[];
  /** PSUBSCRIBE pattern; default `*\/event/*` like the NethServer agent. */
  readonly pattern?: string;
  /** Subscribe to pub/sub events at all (default true; false for a publish-only process). */
  readonly subscribe?: boolean;
  /** Durable mode on Redis Streams; needed for durable publishing and consuming. */
  readonly durable?: DurableOptions;
  /**
   * Payload field carrying the publishing bridge's instance id, so a bridge recognises
   * (and does not raise again) its own events. Default `_origin`; `false` leaves payloads
   * untouched (then do not publish and raise the same event in one process).
   */
  readonly originField?: string | false;
  /** Logger (pino-compatible); default the console. */
  readonly logger?: BridgeLogger;
  /** Identifies this bridge in the origin field; default a random UUID. */
  readonly instanceId?: string;
  /** How long `close()` waits for running handlers, in ms (default 5000). */
  readonly closeGraceMs?: number;
}

/** Something the bridge reports about itself (for monitoring and tests). */
export type BridgeStatus =
  | { readonly type: 'subscribed'; readonly pattern: string }
  | { readonly type: 'connection-lost'; readonly connection: 'publisher' | 'subscriber' | 'consumer' }
  | { readonly type: 'dropped'; readonly channel: string; readonly reason: string }
  | { readonly type: 'raised'; readonly hook: string; readonly event: BridgeEvent; readonly error?: unknown };

/** Counters since start. */
export interface BridgeStats {
  /** Events published (PUBLISH done). */
  published: number;
  /** Pub/sub messages received on event channels. */
  received: number;
  /** Messages dropped because they were not a JSON object. */
  dropped: number;
  /** Hook calls made for events from Redis, and how many of them failed. */
  raised: number;
  raiseFailed: number;
  /** Pub/sub handlers that threw. */
  handlerFailed: number;
  /** Durable consumer counters, when consuming. */
  durable?: DurableStats;
}

/** Options of {@link RedisEventBridge.publish}. */
export interface PublishOptions {
  /** Also XADD the event to its stream (needs the `durable` option). */
  readonly durable?: boolean;
}

/** What {@link RedisEventBridge.publish} did. */
export interface PublishResult {
  /** Subscribers that received the PUBLISH. */
  readonly receivers: number;
  /** The stream entry id, for durable publishes. */
  readonly id?: string;
}
