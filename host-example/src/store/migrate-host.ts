import { migrate, migrateSync, SqlDatabase } from '@plugboard/sql';
import type { Database } from '../db';
import { HOST_MIGRATIONS } from '../migrations';
import { HOST_SCHEMA, HOST_SCOPE } from './host-schema';

/**
 * Brings the host's tables up to date. A SQLite file the old runner left part-way (its
 * `schema_migrations` at a version below the last) is first finished by that runner, so
 * {@link HOST_SCHEMA}'s first migration, `IF NOT EXISTS` over the old final schema, finds every
 * table and column and adopts the file as it is. On PostgreSQL the SQLite file is migrated too:
 * the parts that are SQLite-only still (extension state and health) keep their tables there.
 * Returns the migrations applied to {@link Database.store}.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/plugboard.sqlite');
 * await migrateHost(db);
 * ```
 */
export async function migrateHost(db: Database): Promise<string[]> {
  const legacy = db.version(HOST_SCOPE);
  if (legacy > 0 && legacy < HOST_MIGRATIONS.length) db.migrate(HOST_SCOPE, HOST_MIGRATIONS);
  const applied = await migrate(db.store, HOST_SCOPE, HOST_SCHEMA);
  if (db.store.dialect === 'postgres') migrateSync(SqlDatabase.sqlite(db.sql), HOST_SCOPE, HOST_SCHEMA);
  return applied;
}
