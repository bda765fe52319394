import type { Database } from 'better-sqlite3';
import { OutboxError } from './errors';
import { migrateOutboxSync } from './schema/migrate';
import { OUTBOX_MIGRATIONS } from './schema/outbox-migrations';

/** Current schema version this code expects: the number of outbox migrations (see schema/outbox-migrations.ts). */
export const SCHEMA_VERSION = OUTBOX_MIGRATIONS.length;

/**
 * Applies `migrations` (entry N upgrades to version N) that are newer than the version recorded
 * in `schemaTable`, in one immediate transaction, so two processes opening the same file at once
 * cannot both migrate. `tooNew` builds the error for a database already past what the code knows.
 * Returns the version found before. Shared by every package that keeps tables in the host's
 * SQLite database beside the outbox.
 *
 * @example
 * ```ts
 * migrateSchema(db, 'notify_email_hooks_schema', MIGRATIONS, (found, known) => new Error(`${found} > ${known}`));
 * ```
 */
export function migrateSchema(db: Database, schemaTable: string, migrations: readonly string[], tooNew: (found: number, known: number) => Error): number {
  if (!/^[a-z_][a-z0-9_]*$/.test(schemaTable)) throw new RangeError(`invalid schema table name "${schemaTable}"`);
  const run = db.transaction((): number => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${schemaTable} (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)`);
    const row = db.prepare(`SELECT MAX(version) AS version FROM ${schemaTable}`).get() as { version: number | null };
    const from = row.version ?? 0;
    if (from > migrations.length) throw tooNew(from, migrations.length);
    const record = db.prepare(`INSERT INTO ${schemaTable} (version, applied_at) VALUES (?, ?)`);
    for (let v = from + 1; v <= migrations.length; v++) {
      db.exec(migrations[v - 1]);
      record.run(v, Date.now());
    }
    return from;
  });
  return run.immediate();
}

/**
 * Brings the outbox tables up to {@link SCHEMA_VERSION} with the shared migrations, synchronously;
 * returns the version found before. A file from an earlier outbox (versions in `outbox_schema` or
 * `outbox_migrations`, left in place) is at version 1 already and only gains the shared history.
 */
export function migrate(db: Database): number {
  const legacy = legacyVersion(db);
  if (legacy > SCHEMA_VERSION) {
    throw new OutboxError(
      'PB_OUTBOX_SCHEMA',
      `The outbox tables are at schema version ${legacy}, newer than this @plugboard/outbox understands (${SCHEMA_VERSION}); upgrade @plugboard/outbox.`,
    );
  }
  return SCHEMA_VERSION - migrateOutboxSync(db).length;
}

/** The version the pre-Kysely runner recorded (0 when it never ran on this file). */
function legacyVersion(db: Database): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox_schema'`).get();
  if (table === undefined) return 0;
  return (db.prepare('SELECT MAX(version) FROM outbox_schema').pluck().get() as number | null) ?? 0;
}
