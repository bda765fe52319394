import { PlugboardError } from '@plugboard/core';

// The union is derived from the registry, the one list of this package's codes.
import type { RedisBridgeErrorCode } from './error-codes';
export type { RedisBridgeErrorCode };

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
