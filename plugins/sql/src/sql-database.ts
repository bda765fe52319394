import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { Kysely, PostgresAdapter, sql, SqliteDialect } from 'kysely';
import { SqlError } from './errors';
import { connectPostgres, isPostgresUrl } from './pg-connect';
import { PgListener } from './pg-listener';
import { drivePg } from './pg-runner';
import { driveSync, inTransaction } from './sqlite-runner';
import { heldBy, holdSqlite, pgSavepoint, runHeld, sqliteSavepoint, type Held, type Savepoint } from './held';
import { channelName, sqliteTopics, type TopicListener } from './topics';
import { isKysely, isSqliteConnection, redact } from './targets';
import type { Step, Work } from './work';

/** The two stores. */
export type SqlDialect = 'sqlite' | 'postgres';

/** Where the lines of the query layer go (pino and console fit). */
export interface SqlLogger {
  warn(obj: object, msg: string): void;
}

/** Options of {@link SqlDatabase.open}. */
export interface SqlDatabaseOptions {
  /** Connections of the PostgreSQL pool (default 10). */
  readonly poolSize?: number;
  /** For an adopted Kysely on PostgreSQL: the URL `listen` connects to (it needs a connection of its own). */
  readonly listenUrl?: string;
  /** Lost and re-established connections are logged here (default: console). */
  readonly logger?: SqlLogger;
}

interface Parts {
  readonly dialect: SqlDialect;
  readonly kysely: Kysely<unknown>;
  readonly sqlite?: SqliteConnection;
  readonly owns: boolean;
  readonly url?: string;
  readonly schema?: string;
  readonly logger: SqlLogger;
}

/**
 * A database of either dialect behind one query layer. Packages build their queries with
 * {@link SqlDatabase.as}'s Kysely and run them as {@link Work}s: on SQLite synchronously through
 * cached prepared statements (a transaction is one synchronous call, so nothing else on the shared
 * connection interleaves), on PostgreSQL as awaited queries in a real transaction.
 *
 * @example
 * ```ts
 * const db = await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/host.db');
 * const k = db.as<{ notes: { id: number; text: string } }>();
 * await db.run(exec(k.insertInto('notes').values({ id: 1, text: 'hello' })));
 * const off = await db.listen('notes', () => reload());
 * ```
 */
export class SqlDatabase {
  readonly dialect: SqlDialect;
  /** The better-sqlite3 connection (SQLite only), for code that must stay synchronous. */
  readonly sqlite: SqliteConnection | undefined;
  /** The connection URL (PostgreSQL only), for processes and listeners of their own. */
  readonly url: string | undefined;
  private readonly kysely: Kysely<unknown>;
  private listener: PgListener | undefined;
  private readonly topicListeners = new Map<string, Set<TopicListener>>();
  private closed = false;

  private constructor(private readonly parts: Parts) {
    this.dialect = parts.dialect;
    this.kysely = parts.kysely;
    this.sqlite = parts.sqlite;
    this.url = parts.url;
  }

  /**
   * Opens a `postgres://` URL (checking the connection) or a SQLite file (created with its
   * directory, WAL on), or adopts an open better-sqlite3 connection or a Kysely instance on
   * PostgreSQL (both left open by `close`).
   * @throws SqlError `PB_SQL_DATABASE` when PostgreSQL refuses the connection or the target is neither.
   */
  static async open(target: string | SqliteConnection | Kysely<unknown>, options: SqlDatabaseOptions = {}): Promise<SqlDatabase> {
    const logger = options.logger ?? console;
    if (isKysely(target)) {
      if (!(target.getExecutor().adapter instanceof PostgresAdapter)) {
        throw new SqlError('PB_SQL_DATABASE', 'A Kysely instance is adopted on PostgreSQL only; for SQLite pass the better-sqlite3 Database (statements run on it synchronously).');
      }
      const schema = await currentSchema(target, 'the Kysely instance given');
      return new SqlDatabase({ dialect: 'postgres', kysely: target, owns: false, schema, logger, ...(options.listenUrl !== undefined ? { url: options.listenUrl } : {}) });
    }
    if (typeof target !== 'string' || !isPostgresUrl(target)) return SqlDatabase.sqlite(target, options);
    const { kysely } = connectPostgres(target, options.poolSize ?? 10, (err) => logger.warn({ code: 'PB_SQL_DATABASE', err }, `A PostgreSQL connection failed (${err.message}); it is replaced on the next query.`));
    try {
      const schema = await currentSchema(kysely, redact(target));
      return new SqlDatabase({ dialect: 'postgres', kysely, owns: true, url: target, schema, logger });
    } catch (err) {
      await kysely.destroy();
      throw err;
    }
  }

  /** Opens or adopts a SQLite database synchronously (for code that cannot await). */
  static sqlite(target: string | SqliteConnection, options: SqlDatabaseOptions = {}): SqlDatabase {
    const owns = typeof target === 'string';
    let db: SqliteConnection;
    if (typeof target === 'string') {
      if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
      db = new BetterSqlite3(target);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } else if (isSqliteConnection(target)) {
      if (!target.open) throw new SqlError('PB_SQL_CLOSED', 'The better-sqlite3 Database passed is closed; pass an open one.');
      db = target;
    } else {
      throw new SqlError('PB_SQL_DATABASE', 'Pass a SQLite path, an open better-sqlite3 Database or a postgres:// URL.');
    }
    // Kysely only compiles here: statements run through better-sqlite3 directly (see sqlite-runner).
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
    return new SqlDatabase({ dialect: 'sqlite', kysely, sqlite: db, owns, logger: options.logger ?? console });
  }

  /** This database's Kysely, typed with a package's tables: build queries with it. */
  as<T>(): Kysely<T> {
    return this.kysely as Kysely<T>;
  }

  /** Runs a work, each statement on its own (no transaction). */
  run<R>(work: Work<R>): Promise<R> {
    return this.execute(work, false);
  }

  /** Runs a work in one transaction: all of it or none; its notifications are sent at commit. */
  transact<R>(work: Work<R>): Promise<R> {
    return this.execute(work, true);
  }

  /**
   * Runs a work now, synchronously, in one transaction (SQLite only): for hot paths and
   * constructors that must not await.
   * @throws SqlError `PB_SQL_DIALECT` on PostgreSQL.
   */
  transactSync<R>(work: Work<R>): R {
    return this.sync(work, true);
  }

  /**
   * Runs a work now, synchronously, each statement on its own (SQLite only): for reads that must
   * not take the write lock, and single statements on paths that must not await.
   * @throws SqlError `PB_SQL_DIALECT` on PostgreSQL.
   *
   * @example
   * ```ts
   * const note = db.runSync(first(k.selectFrom('notes').selectAll().where('id', '=', 1)));
   * ```
   */
  runSync<R>(work: Work<R>): R {
    return this.sync(work, false);
  }

  private sync<R>(work: Work<R>, transaction: boolean): R {
    const db = this.sqliteOrThrow();
    const held = heldBy(this);
    const notices: Step[] = held?.notices ?? [];
    const result = transaction ? inTransaction(db, () => driveSync(db, work, notices)) : driveSync(db, work, notices);
    if (held === undefined) this.emitLocal(notices);
    return result;
  }

  private async execute<R>(work: Work<R>, transaction: boolean): Promise<R> {
    if (this.closed) throw new SqlError('PB_SQL_CLOSED', 'The database was closed; open a new one.');
    const held = heldBy(this);
    if (this.parts.sqlite !== undefined) {
      const notices: Step[] = held?.notices ?? [];
      const mark = notices.length;
      const db = this.parts.sqlite;
      try {
        const result = transaction ? inTransaction(db, () => driveSync(db, work, notices)) : driveSync(db, work, notices);
        if (held === undefined) this.emitLocal(notices);
        return result;
      } catch (err) {
        // A rolled-back work notifies no one; statements run one by one stay, and so do their notifications.
        if (transaction) notices.length = mark;
        else if (held === undefined) this.emitLocal(notices);
        throw err;
      }
    }
    const channel = (topic: string): string => channelName(topic, this.parts.schema ?? 'public');
    // Inside a held transaction a work runs on it as it is: concurrent works of one connection cannot
    // nest savepoints, so a failure is isolated by the caller's savepoint part (or fails the whole hold).
    if (held?.trx !== undefined) return drivePg(held.trx, work, channel);
    if (!transaction) return drivePg(this.kysely, work, channel);
    return this.kysely.transaction().execute((trx) => drivePg(trx, work, channel));
  }

  /**
   * Holds one transaction open across awaited code (hooks, extensions' functions): every work run
   * through this database in `fn`'s async context joins it, and `savepoint(part)` rolls a part back
   * alone (on PostgreSQL only a part isolates a failing work: the transaction is aborted until it rolls
   * back). Commits when `fn` resolves, rolls back when it throws. On SQLite the transaction is the
   * one connection's, so keep other writers out meanwhile (as an import does by running alone).
   *
   * @example
   * ```ts
   * await db.hold(async (savepoint) => {
   *   for (const row of rows) await savepoint(() => importRow(row)).catch(report);
   * });
   * ```
   */
  hold<R>(fn: (savepoint: Savepoint) => Promise<R>): Promise<R> {
    const sqlite = this.parts.sqlite;
    if (sqlite !== undefined) {
      const held: Held = { notices: [], seq: 0, open: true };
      return holdSqlite(sqlite, held, () => runHeld(this, held, () => fn(sqliteSavepoint(held, sqlite)))).then((result) => {
        this.emitLocal(held.notices);
        return result;
      });
    }
    return this.kysely.transaction().execute((trx) => {
      const held: Held = { trx, notices: [], seq: 0, open: true };
      return runHeld(this, held, () => fn(pgSavepoint(held, trx)));
    });
  }

  /**
   * Calls `listener` on each notification of `topic`: from any process on PostgreSQL (LISTEN on
   * a connection of its own, reconnecting by itself, after which the listener gets `undefined`:
   * reload), from this connection's writers on SQLite. Resolves once listening; returns the undo.
   */
  async listen(topic: string, listener: TopicListener): Promise<() => void> {
    let set = this.topicListeners.get(topic);
    if (set === undefined) this.topicListeners.set(topic, (set = new Set()));
    set.add(listener);
    if (this.parts.sqlite !== undefined) {
      const emitter = sqliteTopics(this.parts.sqlite);
      emitter.on(topic, listener);
      return () => {
        set.delete(listener);
        emitter.off(topic, listener);
      };
    }
    if (this.parts.url === undefined) {
      set.delete(listener);
      throw new SqlError('PB_SQL_DATABASE', `Listening to "${topic}" needs a connection of its own: pass listenUrl with the adopted Kysely instance.`);
    }
    this.listener ??= this.pgListener(this.parts.url);
    await this.listener.add(channelName(topic, this.parts.schema ?? 'public'));
    return () => set.delete(listener);
  }

  private pgListener(url: string): PgListener {
    const byChannel = (channel: string): Set<TopicListener> | undefined => {
      for (const [topic, set] of this.topicListeners) if (channelName(topic, this.parts.schema ?? 'public') === channel) return set;
      return undefined;
    };
    let first = true;
    return new PgListener({
      url,
      onNotify: (channel, payload) => byChannel(channel)?.forEach((l) => l(payload)),
      onListening: () => {
        if (!first) for (const set of this.topicListeners.values()) set.forEach((l) => l(undefined));
        first = false;
      },
      onError: (err, message) => this.parts.logger.warn({ code: 'PB_SQL_DATABASE', err }, message),
    });
  }

  private emitLocal(notices: readonly Step[]): void {
    if (this.parts.sqlite === undefined) return;
    const emitter = sqliteTopics(this.parts.sqlite);
    for (const n of notices) if (n.kind === 'notify') emitter.emit(n.topic, n.payload);
  }

  private sqliteOrThrow(): SqliteConnection {
    if (this.parts.sqlite === undefined) throw new SqlError('PB_SQL_DIALECT', 'This call runs synchronously and exists on SQLite only; use run() or transact(), which work on PostgreSQL too.');
    return this.parts.sqlite;
  }

  /** Stops listening and closes what `open` opened (an adopted SQLite connection stays open). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.close();
    if (this.parts.dialect === 'postgres' && this.parts.owns) await this.kysely.destroy();
    else if (this.parts.owns && this.parts.sqlite?.open === true) this.parts.sqlite.close();
  }
}

/** The schema unqualified names resolve to; also proves the connection works. */
async function currentSchema(kysely: Kysely<unknown>, where: string): Promise<string> {
  try {
    const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(kysely);
    if (rows[0]?.schema == null) throw new Error('the search_path names no existing schema');
    return rows[0].schema;
  } catch (err) {
    throw new SqlError('PB_SQL_DATABASE', `PostgreSQL at ${where} refused the connection (${err instanceof Error ? err.message : String(err)}); start it or fix the URL.`, { cause: err });
  }
}
