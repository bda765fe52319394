import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The test database (user postgres, trust auth); PLUGBOARD_TEST_PG_URL overrides it. */
export const PG_URL = process.env.PLUGBOARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh schema of the test database, dropped by `drop()`. Never skips: a missing PostgreSQL
 * is a failure that says how to start it (under CI=true and everywhere else).
 */
export async function pgSchema(appName = 'pb-outbox-test'): Promise<{ schema: string; url: (app?: string) => string; admin: Client; drop: () => Promise<void> }> {
  const schema = `ob_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_URL} (${err instanceof Error ? err.message : String(err)}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set PLUGBOARD_TEST_PG_URL.',
    );
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = (app = appName): string => `${PG_URL}?application_name=${app}&options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    schema,
    url,
    admin,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
