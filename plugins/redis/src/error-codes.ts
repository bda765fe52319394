/**
 * The registry of every code `@plugboard/redis` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `RedisBridgeErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const REDIS_ERRORS = {
  PB_REDIS_INVALID_NAME: 'A module id or event name cannot be used in a channel or stream key. Use a kebab-case name.',
  PB_REDIS_INVALID_PAYLOAD: 'A payload is not a JSON object (the NethServer event contract). Publish a plain JSON object.',
  PB_REDIS_CONFIG: 'The bridge configuration is inconsistent (unknown hook, non-kebab event name, durable use without `durable` options). Fix the option named.',
  PB_REDIS_VOLATILE: 'Durable mode on a Redis server that keeps nothing on disk. Enable AOF/RDB persistence, or set `durable.allowVolatile`.',
  PB_REDIS_CLOSED: 'The bridge was used after `close()`. Create a new bridge.',
  PB_REDIS_PUBLISH_FAILED: 'Publishing to Redis failed (PUBLISH or XADD; cause attached). Check the Redis connection and publish again.',
} as const;

/** A code of {@link REDIS_ERRORS}: a union, so a misspelt code is a compile error. */
export type RedisBridgeErrorCode = keyof typeof REDIS_ERRORS;

type RedisBridgeErrorTable = typeof REDIS_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends RedisBridgeErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (RedisBridgeErrors.is(e, 'PB_REDIS_INVALID_NAME')) console.error(e.message);
 * ```
 */
export const RedisBridgeErrors = defineErrorRegistry('@plugboard/redis', REDIS_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isRedisBridgeError(e, 'PB_REDIS_INVALID_NAME')) console.error(e.code, e.message); }
 * ```
 */
export const isRedisBridgeError = RedisBridgeErrors.is;
