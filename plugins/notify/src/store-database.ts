import { migrate, migrateSync, SqlDatabase } from '@plugboard/sql';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { NOTIFY_MIGRATIONS, NOTIFY_SCOPE } from './notify-schema';

/**
 * Where a notify store keeps its rows: a {@link SqlDatabase} of either dialect (left open by the
 * store), or, on SQLite, the host's better-sqlite3 connection (adopted, left open) or a file path
 * (`open` also takes a `postgres://` URL there); the store closes what it opened itself.
 */
export type NotifyDatabase = SqlDatabase | SqliteConnection | string;

/** The database a store runs on, and whether the store opened it (and so closes it). */
export interface OpenedDatabase {
  readonly db: SqlDatabase;
  readonly owned: boolean;
}

/** Opens (or takes) the database and brings this package's tables up to date. */
export async function openNotifyDatabase(target: NotifyDatabase): Promise<OpenedDatabase> {
  const opened = target instanceof SqlDatabase ? { db: target, owned: false } : { db: await SqlDatabase.open(target), owned: true };
  return guarded(opened, async () => {
    await migrate(opened.db, NOTIFY_SCOPE, NOTIFY_MIGRATIONS);
  });
}

/** {@link openNotifyDatabase} synchronously, SQLite only (`PB_SQL_DIALECT` on PostgreSQL). */
export function openNotifyDatabaseSync(target: NotifyDatabase): OpenedDatabase {
  const opened = target instanceof SqlDatabase ? { db: target, owned: false } : { db: SqlDatabase.sqlite(target), owned: true };
  try {
    migrateSync(opened.db, NOTIFY_SCOPE, NOTIFY_MIGRATIONS);
  } catch (e) {
    if (opened.owned) void opened.db.close();
    throw e;
  }
  return opened;
}

/** Runs `step`; when it fails, closes a database the store opened, then rethrows. */
export async function guarded<T>(opened: OpenedDatabase, step: () => Promise<T>): Promise<OpenedDatabase> {
  try {
    await step();
  } catch (e) {
    if (opened.owned) await opened.db.close();
    throw e;
  }
  return opened;
}
