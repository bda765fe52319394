import Redis, { type RedisOptions } from 'ioredis';

/**
 * How the bridge reaches Redis: an ioredis client (the bridge opens its own connections
 * with `duplicate()` and never closes yours), ioredis options, or a `redis://` URL.
 * Defaults to 127.0.0.1:6379.
 */
export type RedisConnection = Redis | RedisOptions | string;

/** Opens a new, lazily connecting client named `name` (shown by `CLIENT LIST`). */
export function openConnection(connection: RedisConnection | undefined, name: string, overrides: RedisOptions = {}): Redis {
  const options: RedisOptions = { ...overrides, connectionName: name, lazyConnect: true };
  if (connection instanceof Redis) return connection.duplicate(options);
  if (typeof connection === 'string') return new Redis(connection, options);
  return new Redis({ host: '127.0.0.1', port: 6379, ...connection, ...options });
}

/**
 * Closes a client opened by {@link openConnection}: QUIT when it is ready, otherwise a
 * disconnect, and nothing once it has ended. A second disconnect of an ended client would leave
 * ioredis' 2 s stream-destroy timer behind, keeping the process alive.
 */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection is going away anyway.
    }
  }
  redis.disconnect();
}
