import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Step } from './work';

/** A transaction held open across awaited code, joined by the works run in its async context. */
export interface Held {
  /** The PostgreSQL transaction (none on SQLite: the one connection is in it). */
  readonly trx?: Transaction<unknown>;
  /** Notifications of the works run inside, sent after the commit (SQLite). */
  readonly notices: Step[];
  /** Numbers the savepoints: each part has a name of its own. */
  seq: number;
  /** False once committed or rolled back: work started inside but run later (a background flush) uses the pool. */
  open: boolean;
}

/** Runs a part of a held transaction alone: rolled back by itself when it throws. */
export type Savepoint = <T>(part: () => Promise<T>) => Promise<T>;

const context = new AsyncLocalStorage<{ readonly owner: object; readonly held: Held }>();

/** The transaction `owner` holds for the current async context, if any. */
export function heldBy(owner: object): Held | undefined {
  const store = context.getStore();
  return store?.owner === owner && store.held.open ? store.held : undefined;
}

/** Runs `fn` with `held` as the current async context's transaction of `owner`. */
export async function runHeld<R>(owner: object, held: Held, fn: () => Promise<R>): Promise<R> {
  try {
    return await context.run({ owner, held }, fn);
  } finally {
    held.open = false;
  }
}

/** PostgreSQL: a savepoint around `part` on the held transaction. */
export function pgSavepoint(held: Held, trx: Kysely<unknown>): Savepoint {
  return async (part) => {
    const name = sql.id(`pb_part_${++held.seq}`);
    await sql`SAVEPOINT ${name}`.execute(trx);
    try {
      const result = await part();
      await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
      return result;
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(trx);
      await sql`RELEASE SAVEPOINT ${name}`.execute(trx);
      throw e;
    }
  };
}

/** SQLite: a savepoint around `part` on the one connection. */
export function sqliteSavepoint(held: Held, db: SqliteConnection): Savepoint {
  return async (part) => {
    const name = `pb_part_${++held.seq}`;
    const mark = held.notices.length;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await part();
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      // As PostgreSQL drops the NOTIFYs of a rolled-back savepoint: the part's notifications go with it.
      held.notices.length = mark;
      throw e;
    }
  };
}

/** SQLite: `fn` inside BEGIN IMMEDIATE … COMMIT on the connection (ROLLBACK when it throws). */
export async function holdSqlite<R>(db: SqliteConnection, held: Held, fn: () => Promise<R>): Promise<R> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await fn();
    db.exec('COMMIT');
    return result;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
