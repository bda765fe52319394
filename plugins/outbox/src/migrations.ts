import type { Database } from 'better-sqlite3';
import { OutboxError } from './errors';
import { migrateOutboxSync } from './schema/migrate';
import { OUTBOX_MIGRATIONS } from './schema/outbox-migrations';

/** Current schema version this code expects: the number of outbox migrations (see schema/outbox-migrations.ts). */
export const SCHEMA_VERSION = OUTBOX_MIGRATIONS.length;

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
