import type { Database as SqliteDatabase } from 'better-sqlite3';
import { HostError } from '../errors';

/** One step of the old SQLite runner (`schema_migrations`). Frozen: new tables are `SqlMigration`s of `Database.migrate`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

const TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  scope TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
  PRIMARY KEY (scope, version))`;

/**
 * The version the old runner recorded for `scope` in a SQLite file (0 when it never ran there).
 * Only for adopting files that runner made; see `migrateHost`.
 *
 * @example
 * ```ts
 * if (legacyVersion(db.sql, 'host') === 3) finishLegacy(db.sql, 'host', HOST_MIGRATIONS);
 * ```
 */
export function legacyVersion(sql: SqliteDatabase, scope: string): number {
  const table = sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = sql.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE scope = ?').get(scope) as { v: number | null };
  return row.v ?? 0;
}

/**
 * The old SQLite runner, kept only to finish a file it left part-way (and for tests to make such
 * files): applies the migrations of `scope` newer than its recorded version in one transaction and
 * returns how many ran. Everything new migrates through `Database.migrate` (`plugboard_migrations`).
 *
 * @example
 * ```ts
 * finishLegacy(db.sql, 'host', HOST_MIGRATIONS);
 * ```
 */
export function finishLegacy(sql: SqliteDatabase, scope: string, migrations: readonly Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new HostError('PB_HOST_INVALID', `Migrations of "${scope}" must be numbered 1, 2, 3…; found version ${m.version} at position ${i + 1}.`);
    }
  });
  const run = sql.transaction((): number => {
    sql.exec(TABLE);
    const current = legacyVersion(sql, scope);
    if (current > sorted.length) {
      throw new HostError('PB_HOST_CONFLICT', `The database has "${scope}" schema version ${current}, newer than this code knows (${sorted.length}); upgrade the code.`);
    }
    const record = sql.prepare('INSERT INTO schema_migrations (scope, version, name, applied_at) VALUES (?, ?, ?, ?)');
    for (const m of sorted.slice(current)) {
      sql.exec(m.up);
      record.run(scope, m.version, m.name, new Date().toISOString());
    }
    return sorted.length - current;
  });
  return run.immediate();
}
