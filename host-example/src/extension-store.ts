import type { ExtensionStateStore } from '@plugboard/core';
import { exec, first, migrate, migrateSync, notify, type SqlDatabase, type SqlMigration, type TopicListener, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';

/** The topic every process hears when an extension's stored state changes (payload: its name). */
export const EXTENSIONS_TOPIC = 'extensions';

interface Tables {
  extensions: { name: string; enabled: number; reason: string | null; updated_at: string };
}

/**
 * The `extensions` table for a database that did not get it from the host's SQLite migrations (a
 * PostgreSQL one). IF NOT EXISTS with the SQLite migrations' final columns, so a host file that
 * already has the table adopts it unchanged.
 */
const MIGRATIONS: readonly SqlMigration[] = [
  {
    name: '0001_extensions',
    statements: (k) => [
      k.schema
        .createTable('extensions')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull()),
    ],
  },
];

const SCOPE = '@plugboard/host-example:extensions';

function* saveWork(k: Kysely<Tables>, name: string, enabled: boolean, reason: string | undefined): Work<void> {
  const row = { name, enabled: enabled ? 1 : 0, reason: enabled ? null : (reason ?? null), updated_at: new Date().toISOString() };
  yield* exec(
    k
      .insertInto('extensions')
      .values(row)
      .onConflict((c) => c.column('name').doUpdateSet({ enabled: row.enabled, reason: row.reason, updated_at: row.updated_at })),
  );
  // In the write's transaction: the other processes hear it only once it is committed.
  yield* notify(EXTENSIONS_TOPIC, name);
}

/**
 * Persists which extensions are enabled (and why one was disabled, e.g. by the circuit breaker)
 * in the `extensions` table of SQLite or PostgreSQL, so the state survives a restart, and
 * announces each change on the `extensions` topic so every process sharing the database can
 * follow it ({@link SqlExtensionStore.follow}).
 *
 * @example
 * ```ts
 * const store = await SqlExtensionStore.open(await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/host.db'));
 * const manager = new ExtensionManager({ bus, container, store });
 * await store.follow((name) => void manager.applyStored(name));
 * ```
 */
export class SqlExtensionStore implements ExtensionStateStore {
  private readonly k: Kysely<Tables>;

  /** Use {@link SqlExtensionStore.open} (or `openSync` on SQLite), which create the table when missing. */
  private constructor(private readonly db: SqlDatabase) {
    this.k = db.as<Tables>();
  }

  /** The store on `db`, its table created when missing. */
  static async open(db: SqlDatabase): Promise<SqlExtensionStore> {
    await migrate(db, SCOPE, MIGRATIONS);
    return new SqlExtensionStore(db);
  }

  /** {@link SqlExtensionStore.open}, synchronously (SQLite only). */
  static openSync(db: SqlDatabase): SqlExtensionStore {
    migrateSync(db, SCOPE, MIGRATIONS);
    return new SqlExtensionStore(db);
  }

  async load(name: string): Promise<boolean | undefined> {
    const row = await this.db.run(first(this.k.selectFrom('extensions').select('enabled').where('name', '=', name)));
    return row === undefined ? undefined : Number(row.enabled) === 1;
  }

  async save(name: string, enabled: boolean, reason?: string): Promise<void> {
    await this.db.transact(saveWork(this.k, name, enabled, reason));
  }

  async reason(name: string): Promise<string | undefined> {
    const row = await this.db.run(first(this.k.selectFrom('extensions').select('reason').where('name', '=', name).where('enabled', '=', 0)));
    return row?.reason ?? undefined;
  }

  /**
   * Calls `listener` with the name of each extension whose state any process sharing the
   * database saved (this one's included), or with `undefined` when notifications may have been
   * lost (a reconnect): then every extension should be reloaded. Returns the undo.
   */
  follow(listener: TopicListener): Promise<() => void> {
    return this.db.listen(EXTENSIONS_TOPIC, listener);
  }
}
