/**
 * @plugboard/redis — Redis event bus bridge: local hooks ⇄ NethServer-style channels
 * `module/<id>/event/<name>`, with a durable mode on Redis Streams.
 */
export { RedisEventBridge } from './event-bridge';
export type {
  BridgeStats,
  BridgeStatus,
  PublishMap,
  PublishOptions,
  PublishResult,
  PublishRule,
  RaiseRule,
  RaiseRuleFor,
  RedisEventBridgeOptions,
} from './bridge-types';
export type { BridgeEvent, DurableEvent, DurableHandler, EventHandler, HandlerContext } from './event';
export type { DurableOptions } from './durable-options';
export type { DurableStats } from './durable-stats';
export { DEFAULT_EVENT_PATTERN, eventChannel, parseEventChannel } from './channel';
export type { EventAddress } from './channel';
export { checkEventName, isKebabCase, isPastTense } from './event-name';
export { isJsonObject, parsePayload } from './payload';
export type { EventPayload } from './payload';
export { signal, signalCommand, SIGNAL_USAGE } from './signal';
export type { SignalCommandIo } from './signal';
export type { RedisConnection } from './connection';
export { RedisBridgeError } from './errors';
export type { RedisBridgeErrorCode } from './errors';
export { consoleLogger } from './logger';
export { redisPersistence } from './persistence';
export type { RedisPersistence } from './persistence';
export type { BridgeLogger } from './logger';
export { REDIS_ERRORS, RedisBridgeErrors, isRedisBridgeError } from './error-codes';
