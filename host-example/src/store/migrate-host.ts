import { migrate } from '@plugboard/sql';
import type { Database } from '../db';
import { HOST_MIGRATIONS } from '../migrations';
import { HOST_SCHEMA, HOST_SCOPE } from './host-schema';
import { finishLegacy, legacyVersion } from './legacy-migrations';

/**
 * Brings the host's tables up to date on {@link Database.store}. A SQLite file the old runner left
 * part-way (its `schema_migrations` at a version below the last) is first finished by that runner,
 * so {@link HOST_SCHEMA}'s first migration, `IF NOT EXISTS` over the old final schema, finds every
 * table and column and adopts the file as it is. That is all the old runner is still for. On
 * PostgreSQL the SQLite file holds none of the host's tables: everything the host keeps (extension
 * state and health, extensions' own tables included) is on the store. Returns the migrations applied.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/plugboard.sqlite');
 * await migrateHost(db);
 * ```
 */
export async function migrateHost(db: Database): Promise<string[]> {
  if (db.store.dialect === 'sqlite') {
    const legacy = legacyVersion(db.sql, HOST_SCOPE);
    if (legacy > 0 && legacy < HOST_MIGRATIONS.length) finishLegacy(db.sql, HOST_SCOPE, HOST_MIGRATIONS);
  }
  return migrate(db.store, HOST_SCOPE, HOST_SCHEMA);
}
