import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server's test database (user postgres, trust auth); PLUGBOARD_TEST_PG_URL overrides it. */
export const PG_URL = process.env.PLUGBOARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What a test gets: its own database, a client connected to it, and a URL maker naming the connecting application. */
export interface TestDatabase {
  readonly name: string;
  readonly url: (app?: string) => string;
  readonly admin: Client;
  readonly drop: () => Promise<void>;
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${err instanceof Error ? err.message : String(err)}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set PLUGBOARD_TEST_PG_URL.',
    );
  }
  return client;
}

/**
 * A fresh database on the test server, dropped by `drop()`. A database rather than a schema:
 * Kysely's Migrator introspects every schema of its database, and test files running in parallel
 * drop theirs meanwhile. Never skips: a missing PostgreSQL is a failure that says how to start it
 * (under CI=true and everywhere else).
 */
export async function pgDatabase(appName = 'pb-test'): Promise<TestDatabase> {
  const name = `pb_${randomBytes(5).toString('hex')}`;
  const root = await connect(PG_URL);
  try {
    await root.query(`CREATE DATABASE ${name}`);
  } finally {
    await root.end();
  }
  const base = new URL(PG_URL);
  base.pathname = `/${name}`;
  const url = (app = appName): string => `${base.toString()}?application_name=${app}`;
  const admin = await connect(url(`${appName}-admin`));
  return {
    name,
    url,
    admin,
    drop: async () => {
      await admin.end();
      const r = await connect(PG_URL);
      try {
        await r.query(`DROP DATABASE ${name} WITH (FORCE)`);
      } finally {
        await r.end();
      }
    },
  };
}
