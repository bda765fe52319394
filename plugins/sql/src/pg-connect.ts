import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types, type PoolConfig } from 'pg';

const INT8 = 20;

/** Whether a target string names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Pool options: `bigint` columns (epoch milliseconds, counters) come back as numbers, for this
 * pool only rather than process-wide; they stay far below 2^53.
 */
export function poolConfig(connectionString: string, extra: PoolConfig = {}): PoolConfig {
  return {
    connectionString,
    ...extra,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : types.getTypeParser(oid, format))) as typeof types.getTypeParser },
  };
}

/**
 * A Kysely instance over a pg Pool of its own. The `error` listeners keep a server restart
 * (connections dropped) from crashing the process: the pool opens new connections on demand.
 */
export function connectPostgres(url: string, poolSize: number, onError: (err: Error) => void): { kysely: Kysely<unknown>; pool: Pool } {
  const pool = new Pool(poolConfig(url, { max: poolSize }));
  pool.on('error', onError);
  // pg-pool's own listener detaches after a client's first error, and a dropped connection can
  // emit two (the server's FATAL, then the socket's reset): the second must not crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { kysely: new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) }), pool };
}
