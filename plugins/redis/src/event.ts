import type { EventPayload } from './payload';

/** One event received from Redis, as given to local handlers. */
export interface BridgeEvent {
  /** The publishing agent, everything before `/event/` in the channel: `module/traefik1` (NethServer `AGENT_EVENT_SOURCE`). */
  readonly source: string;
  /** `traefik1` when the source is `module/traefik1`. */
  readonly moduleId?: string;
  /** The event name, e.g. `account-created` (NethServer `AGENT_EVENT_NAME`). */
  readonly name: string;
  /** The JSON object payload, without the bridge's origin field. */
  readonly payload: EventPayload;
  /** The message exactly as received (what a NethServer step script reads on stdin). */
  readonly raw: string;
  /**
   * Durable mode only: the Redis stream entry id (`1718000000000-0`). It is the same on
   * every redelivery of the entry, so handlers use it to stay idempotent.
   */
  readonly id?: string;
  /** Instance id of the bridge that published it; undefined for events signalled by other tools (redis-cli). */
  readonly origin?: string;
  /** When the publishing bridge sent it (bridge-published events only): now − sentAt is how late it arrived. */
  readonly sentAt?: Date;
  /** True when this bridge instance published the event itself. */
  readonly own: boolean;
}

/** An event delivered by the durable mode (Redis Streams). */
export interface DurableEvent extends BridgeEvent {
  readonly id: string;
  /** The stream the entry was read from. */
  readonly stream: string;
  /** How many times the entry has been delivered to a consumer of this group, this delivery included (1 = first). */
  readonly deliveries: number;
}

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** Aborted when the bridge closes; a durable handler that stops early leaves its entry pending for redelivery. */
  readonly signal: AbortSignal;
}

/** A local listener of pub/sub events. */
export type EventHandler = (event: BridgeEvent, ctx: HandlerContext) => void | Promise<void>;

/** A durable-mode handler: resolve to acknowledge the entry, throw or reject to leave it pending for a retry. */
export type DurableHandler = (event: DurableEvent, ctx: HandlerContext) => void | Promise<void>;
