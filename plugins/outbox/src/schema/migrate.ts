import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import { OutboxError } from '../errors';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, OUTBOX_MIGRATION_NAMES, outboxMigrations } from './outbox-migrations';
import { tooNew } from './migrate-sqlite';
import type { OutboxDialect } from './tables';

/**
 * Brings the outbox tables of `db` up to date with Kysely's Migrator (which locks, so several
 * processes starting at once migrate once). Returns the names applied. `PgOutbox.open` calls it;
 * call it yourself to migrate at deploy time rather than at start.
 *
 * @example
 * ```ts
 * const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString }) }) });
 * console.log('applied', await migrateOutbox(db, 'postgres'));
 * ```
 */
export async function migrateOutbox(db: Kysely<unknown>, dialect: OutboxDialect): Promise<string[]> {
  const migrations = outboxMigrations(dialect);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Migrator looks for its tables across every schema unless told which: another schema's
    // outbox would pass for this one's. The first schema of the search path is where ours live.
    ...(dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const known = new Set<string>(OUTBOX_MIGRATION_NAMES);
  const unknown = (await executed(db, dialect)).filter((n) => !known.has(n));
  if (unknown.length > 0) throw tooNew(unknown);
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new OutboxError('PB_OUTBOX_MIGRATION', `Migrating the outbox tables failed (${failed(results)}): ${String(error instanceof Error ? error.message : error)}; fix the database, then open the outbox again.`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function failed(results: readonly MigrationResult[] | undefined): string {
  return results?.find((r) => r.status === 'Error')?.migrationName ?? 'before any migration';
}

/** Names in the migration table (none when it does not exist yet); Migrator only reports the ones it knows. */
async function executed(db: Kysely<unknown>, dialect: OutboxDialect): Promise<string[]> {
  // Looked up through the search path (PostgreSQL) or this file (SQLite): other schemas' outboxes are not ours.
  const probe =
    dialect === 'postgres'
      ? sql<{ present: boolean }>`SELECT to_regclass(${MIGRATION_TABLE}) IS NOT NULL AS present`
      : sql<{ present: number }>`SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${MIGRATION_TABLE}) AS present`;
  const { rows: found } = await probe.execute(db);
  if (!found[0]?.present) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return rows.map((r) => r.name);
}

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema == null) throw new OutboxError('PB_OUTBOX_DATABASE', 'The PostgreSQL search_path names no existing schema; create the schema or fix search_path in the connection options.');
  return schema;
}
