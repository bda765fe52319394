import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { WalCheckpointer } from '@plugboard/outbox';
import { HostError } from './errors';

/** One versioned schema step. Never edit a shipped one: append a new version. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/**
 * The embedded SQLite database (better-sqlite3) with versioned migrations per scope: the
 * host has scope `host`, extensions migrate their own tables under their own name.
 *
 * @example
 * ```ts
 * const db = Database.open('./data/plugboard.sqlite');
 * db.migrate('audit-log', [{ version: 1, name: 'log table', up: 'CREATE TABLE audit_log (...)' }]);
 * ```
 */
export class Database {
  private constructor(
    readonly sql: SqliteDatabase,
    readonly file: string,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {}

  /** Opens (creating the file and its directory when missing) with WAL and foreign keys on. */
  static open(file: string): Database {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sql = new BetterSqlite3(file);
    sql.pragma('journal_mode = WAL');
    // WAL + NORMAL: a commit survives a process crash (the outbox's promise); only a power
    // loss can lose the last commits, and it saves an fsync per write.
    sql.pragma('synchronous = NORMAL');
    sql.pragma('foreign_keys = ON');
    sql.pragma('busy_timeout = 5000');
    sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      scope TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
      PRIMARY KEY (scope, version))`);
    // Every rule run, outbox message and delivery commits here: checkpointing in a worker thread
    // keeps the fsync of each WAL checkpoint out of those commits (see WalCheckpointer).
    return new Database(sql, file, sql.memory ? undefined : WalCheckpointer.start(sql));
  }

  /** Applies the migrations of `scope` newer than its recorded version, in one transaction; returns how many ran. */
  migrate(scope: string, migrations: readonly Migration[]): number {
    const sorted = [...migrations].sort((a, b) => a.version - b.version);
    sorted.forEach((m, i) => {
      if (m.version !== i + 1) {
        throw new HostError('PB_HOST_INVALID', `Migrations of "${scope}" must be numbered 1, 2, 3…; found version ${m.version} at position ${i + 1}.`);
      }
    });
    const run = this.sql.transaction((): number => {
      const row = this.sql.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE scope = ?').get(scope) as { v: number | null };
      const current = row.v ?? 0;
      if (current > sorted.length) {
        throw new HostError('PB_HOST_CONFLICT', `The database has "${scope}" schema version ${current}, newer than this code knows (${sorted.length}); upgrade the code.`);
      }
      let applied = 0;
      for (const m of sorted.slice(current)) {
        this.sql.exec(m.up);
        this.sql.prepare('INSERT INTO schema_migrations (scope, version, name, applied_at) VALUES (?, ?, ?, ?)').run(scope, m.version, m.name, new Date().toISOString());
        applied++;
      }
      return applied;
    });
    return run.immediate();
  }

  /** The applied version of a scope (0 when none). */
  version(scope: string): number {
    const row = this.sql.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE scope = ?').get(scope) as { v: number | null };
    return row.v ?? 0;
  }

  /** Closes the connection; the checkpoint thread runs a last checkpoint and ends by itself. */
  close(): void {
    void this.checkpointer?.stop();
    if (this.sql.open) this.sql.close();
  }
}
