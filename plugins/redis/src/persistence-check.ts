import type Redis from 'ioredis';
import type { ResolvedDurableOptions } from './durable-options';
import { RedisBridgeError } from './errors';
import type { BridgeLogger } from './logger';
import { redisPersistence } from './persistence';

/** Durable mode needs a Redis that keeps its streams across a restart; refuses (`PB_REDIS_VOLATILE`) or warns otherwise. */
export async function checkDurablePersistence(redis: Redis, durable: ResolvedDurableOptions | undefined, logger: BridgeLogger): Promise<void> {
  if (durable === undefined) return;
  const { state, detail } = await redisPersistence(redis);
  if (state === 'persistent') return;
  if (state === 'unknown') {
    logger.warn({ detail }, 'durable mode: could not tell whether Redis persists its data; make sure AOF or RDB snapshots are on, or events are lost when Redis restarts');
    return;
  }
  if (!durable.allowVolatile) {
    throw new RedisBridgeError(
      'PB_REDIS_VOLATILE',
      `Durable mode needs a Redis that keeps its data across a restart, but this one has ${detail}: a Redis restart would lose every event not yet consumed. ` +
        'Turn on AOF (CONFIG SET appendonly yes) or RDB snapshots, or accept the risk with durable: { allowVolatile: true }.',
    );
  }
  logger.warn({ detail }, 'durable mode on a Redis that keeps nothing on disk (allowVolatile): events not yet consumed are lost if Redis restarts');
}
