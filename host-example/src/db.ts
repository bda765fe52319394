import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { isCheckpointMode, WalCheckpointer, type CheckpointMode, type CheckpointResult } from '@plugboard/outbox';
import { SqlDatabase, type SqlDialect } from '@plugboard/sql';
import { HostError } from './errors';

/** One versioned schema step. Never edit a shipped one: append a new version. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** Options of {@link Database.open}. */
export interface DatabaseOpenOptions {
  /**
   * Where WAL checkpoints run. `background` (default) runs them in a worker thread, out of the
   * commits of rules, outbox and deliveries. `sqlite` leaves them to SQLite inside commits: right
   * for a short-lived process (a one-shot CLI command), where starting the thread costs more than
   * its few commits would save.
   */
  readonly checkpoints?: CheckpointMode;
  /**
   * A `postgres://` URL: the host's own data (users, domains, sessions, parameters, packages …)
   * lives there, shared by every process given the same URL. Default: `PLUGBOARD_DATABASE_URL`;
   * without either, everything stays in the SQLite file.
   */
  readonly url?: string;
}

/**
 * The host's databases. `store` holds the host's own data on either dialect (PostgreSQL when a
 * URL is given, else the SQLite file); `sql` is the SQLite file's better-sqlite3 connection, for
 * the parts that are SQLite-only still (rules, outbox, notify, webhooks, extension state and
 * health, extensions' own tables through {@link Database.migrate}). On SQLite both are one connection.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/plugboard.sqlite', { url: process.env.PLUGBOARD_DATABASE_URL });
 * await db.store.run(first(db.store.as<HostTables>().selectFrom('domains').selectAll()));
 * db.migrate('audit-log', [{ version: 1, name: 'log table', up: 'CREATE TABLE audit_log (...)' }]);
 * ```
 */
export class Database {
  private constructor(
    /** SQLite only: the local file's connection, for the code not yet on {@link Database.store}. */
    readonly sql: SqliteDatabase,
    readonly file: string,
    /** The host's own data, on the dialect chosen at open. */
    readonly store: SqlDatabase,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {}

  /** Where the host's own data lives. */
  get dialect(): SqlDialect {
    return this.store.dialect;
  }

  /** Where this connection's WAL checkpoints run (`sqlite` also for `:memory:`, which has no WAL). */
  get checkpoints(): CheckpointMode {
    return this.checkpointer === undefined ? 'sqlite' : 'background';
  }

  /**
   * Calls `listener` after each background checkpoint that found new WAL frames (never in
   * `sqlite` mode); returns the undo.
   */
  onCheckpoint(listener: (result: CheckpointResult) => void): () => void {
    return this.checkpointer?.onCheckpoint(listener) ?? (() => undefined);
  }

  /**
   * Opens the SQLite file (creating it and its directory when missing) with WAL and foreign keys
   * on, and the PostgreSQL database of `url` (or `PLUGBOARD_DATABASE_URL`) when there is one.
   */
  static async open(file: string, options: DatabaseOpenOptions = {}): Promise<Database> {
    const checkpoints = options.checkpoints ?? 'background';
    if (!isCheckpointMode(checkpoints)) {
      throw new HostError('PB_HOST_INVALID', `checkpoints must be "background" or "sqlite" (got ${JSON.stringify(checkpoints)}).`);
    }
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
    const url = options.url ?? process.env.PLUGBOARD_DATABASE_URL;
    let store: SqlDatabase;
    try {
      store = url !== undefined && url !== '' ? await SqlDatabase.open(url) : SqlDatabase.sqlite(sql);
    } catch (e) {
      sql.close();
      throw e;
    }
    // Every rule run, outbox message and delivery commits here: checkpointing in a worker thread
    // keeps the fsync of each WAL checkpoint out of those commits (see WalCheckpointer).
    return new Database(sql, file, store, sql.memory || checkpoints === 'sqlite' ? undefined : WalCheckpointer.start(sql));
  }

  /**
   * SQLite only (the file of {@link Database.sql}): applies the migrations of `scope` newer than
   * its recorded version, in one transaction; returns how many ran. Extensions' own tables use it.
   */
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

  /**
   * Closes the connection after the checkpoint thread's last checkpoint: it resolves once no
   * thread holds the file, so the caller may delete or move it right away.
   */
  async close(): Promise<void> {
    await this.store.close();
    await this.checkpointer?.stop();
    if (this.sql.open) this.sql.close();
  }
}
