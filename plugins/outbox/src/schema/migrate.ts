import { Migrator, type Kysely, type MigrationResult } from 'kysely';
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
  });
  const known = new Set<string>(OUTBOX_MIGRATION_NAMES);
  const found = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).map((m) => m.name);
  const unknown = found.filter((n) => !known.has(n));
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
