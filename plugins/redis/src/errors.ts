import { PlugboardError } from '@plugboard/core';

/** Stable codes of {@link RedisBridgeError}. */
export type RedisBridgeErrorCode =
  /** A module id or event name cannot be used in a channel or stream key. */
  | 'PB_REDIS_INVALID_NAME'
  /** A payload is not a JSON object (the NethServer event contract). */
  | 'PB_REDIS_INVALID_PAYLOAD'
  /** The bridge configuration is inconsistent (unknown hook, durable use without `durable` options …). */
  | 'PB_REDIS_CONFIG'
  /** Durable mode on a Redis server that keeps nothing on disk, without `durable.allowVolatile`. */
  | 'PB_REDIS_VOLATILE'
  /** The bridge was used after `close()`. */
  | 'PB_REDIS_CLOSED'
  /** Publishing to Redis failed (PUBLISH or XADD). */
  | 'PB_REDIS_PUBLISH_FAILED'
  /** A local handler of a Redis event failed. */
  | 'PB_REDIS_HANDLER_FAILED';

/**
 * Every error thrown or reported by `@plugboard/redis`.
 *
 * @example
 * ```ts
 * try { await bridge.publish('Account Created', {}); }
 * catch (e) { if (e instanceof RedisBridgeError && e.code === 'PB_REDIS_INVALID_NAME') console.error(e.message); }
 * ```
 */
export class RedisBridgeError extends PlugboardError {
  declare readonly code: RedisBridgeErrorCode;

  constructor(code: RedisBridgeErrorCode, message: string, details: { hook?: string; extension?: string; cause?: unknown } = {}) {
    super(code, message, details);
  }
}
