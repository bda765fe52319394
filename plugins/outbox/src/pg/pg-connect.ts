import { Kysely, PostgresAdapter, PostgresDialect } from 'kysely';
import { Pool, types, type PoolConfig } from 'pg';
import type { OutboxLogger } from '../types';
import type { OutboxTables } from '../schema/tables';

const INT8 = 20;

/** Whether a `database` string names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** Whether a Kysely instance talks to PostgreSQL. */
export function isPostgresKysely(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Pool options for the outbox: epoch-millisecond `bigint` columns come back as numbers (they stay
 * far below 2^53) instead of pg's default strings, for this pool only, not process-wide.
 */
export function outboxPoolConfig(connectionString: string, extra: PoolConfig = {}): PoolConfig {
  return {
    connectionString,
    ...extra,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : types.getTypeParser(oid, format))) as typeof types.getTypeParser },
  };
}

/**
 * A Kysely instance over a pg Pool of its own. Its `error` listeners keep a server restart
 * (connections dropped) from crashing the process: the pool opens new connections on demand.
 */
export function connectPostgres(url: string, poolSize: number, logger: OutboxLogger): { db: Kysely<OutboxTables>; pool: Pool } {
  const pool = new Pool(outboxPoolConfig(url, { max: poolSize }));
  const warn = (err: Error): void => logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `A PostgreSQL connection of the outbox failed (${err.message}); it is replaced on the next query.`);
  pool.on('error', warn);
  // pg-pool's own listener detaches after a client's first error, and a dropped connection can
  // emit two (the server's FATAL, then the socket's reset): the second must not crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { db: new Kysely<OutboxTables>({ dialect: new PostgresDialect({ pool }) }), pool };
}
