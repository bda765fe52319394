import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PG_URL } from './pgboss-queue';

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the benchmark's PostgreSQL (the shared migrator looks at one schema,
 * Kysely's at every schema of a database: a database keeps runs apart either way), and its drop.
 */
export async function benchDatabase(prefix: string): Promise<{ url: `postgres://${string}`; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  await admin(`CREATE DATABASE "${name}"`);
  return { url: PG_URL.replace(/\/[^/]*$/, `/${name}`) as `postgres://${string}`, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
