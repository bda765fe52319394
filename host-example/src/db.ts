import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { isCheckpointMode, WalCheckpointer, type CheckpointMode, type CheckpointResult } from '@plugboard/outbox';
import { migrate, SqlDatabase, type SqlDialect, type SqlMigration } from '@plugboard/sql';
import { HostError } from './errors';

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
 * The host's databases. `store` holds the host's data on either dialect (PostgreSQL when a URL
 * is given, else the SQLite file): its own tables, extension state and health, and extensions'
 * own tables ({@link Database.migrate}); every process given the same URL shares them. `sql` is
 * the SQLite file's better-sqlite3 connection, for what stays per file (the SQLite outbox, the
 * local secret key, WAL checkpoints). On SQLite both are one connection.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/plugboard.sqlite', { url: process.env.PLUGBOARD_DATABASE_URL });
 * await db.store.run(first(db.store.as<HostTables>().selectFrom('domains').selectAll()));
 * await db.migrate('audit-log', AUDIT_LOG_SCHEMA);
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
   * Brings the tables of `scope` (an extension's name) up to date on {@link Database.store}, on
   * either dialect, through `@plugboard/sql`'s migrator: history in `plugboard_migrations`, one
   * transaction under a lock, so hosts starting together on one PostgreSQL migrate once. Returns
   * the names applied. Extensions call it from their async `onEnable`, which the manager awaits
   * before any of their listeners runs (a constructor cannot await). Give a table that the old
   * SQLite runner (`schema_migrations`) created a first migration with `ifNotExists()`, so such a
   * file is adopted with its rows.
   * @throws SqlError `PB_SQL_SCHEMA` when the database knows migrations of `scope` this code does not; `PB_SQL_MIGRATION` when a statement fails.
   *
   * @example
   * ```ts
   * const NOTES: SqlMigration[] = [{ name: '0001_notes', statements: (k) => [
   *   k.schema.createTable('notes').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()),
   * ] }];
   * async onEnable(): Promise<void> {
   *   await this.db.migrate('notes', NOTES);
   * }
   * ```
   */
  migrate(scope: string, migrations: readonly SqlMigration[]): Promise<string[]> {
    return migrate(this.store, scope, migrations);
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
