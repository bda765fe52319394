import type Redis from 'ioredis';

/** What a Redis server keeps across a restart, as far as its configuration tells. */
export interface RedisPersistence {
  /** `persistent`: AOF or RDB snapshots on; `volatile`: neither; `unknown`: CONFIG is not allowed. */
  readonly state: 'persistent' | 'volatile' | 'unknown';
  /** What was found, in words, for the log and error messages. */
  readonly detail: string;
}

async function configValue(client: Redis, name: string): Promise<string> {
  const reply = (await client.config('GET', name)) as unknown;
  // CONFIG GET answers [name, value]; an unknown name answers [].
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : '';
}

/**
 * Reads `appendonly` and `save` with CONFIG GET. Durable mode relies on Redis keeping stream
 * entries across its own restart: without AOF or RDB snapshots, every acknowledged but not yet
 * consumed event is lost when Redis restarts (1,164 of 1,500 in one probe), silently.
 *
 * @example
 * ```ts
 * const { state, detail } = await redisPersistence(client); // { state: 'volatile', detail: 'appendonly no, save ""' }
 * ```
 */
export async function redisPersistence(client: Redis): Promise<RedisPersistence> {
  let appendonly: string;
  let save: string;
  try {
    [appendonly, save] = await Promise.all([configValue(client, 'appendonly'), configValue(client, 'save')]);
  } catch (e) {
    // Managed services often rename or forbid CONFIG: say we could not tell rather than guess.
    return { state: 'unknown', detail: `CONFIG GET is not available (${e instanceof Error ? e.message : String(e)})` };
  }
  const detail = `appendonly ${appendonly || '?'}, save "${save}"`;
  const persistent = appendonly === 'yes' || save.trim() !== '';
  return { state: persistent ? 'persistent' : 'volatile', detail };
}
