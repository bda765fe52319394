import { SqlDatabase } from '@plugboard/sql';
import type { Database } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { OutboxTables } from '../schema/tables';

/** The shared queries' runner on one SQLite connection, and the Kysely that builds them. */
export interface SqliteQueries {
  readonly sql: SqlDatabase;
  readonly k: Kysely<OutboxTables>;
}

// One per connection: the Outbox and the free functions given it share the compiled statements.
const byConnection = new WeakMap<Database, SqliteQueries>();

/**
 * The runner of the outbox's queries on `db` (adopted, never closed by it): the works of
 * `queries/` run on it synchronously, with `runSync` or `transactSync`.
 *
 * @example
 * ```ts
 * const { sql, k } = sqliteQueries(outbox.db);
 * const counts = sql.runSync(countMessages(k));
 * ```
 */
export function sqliteQueries(db: Database): SqliteQueries {
  let q = byConnection.get(db);
  if (q === undefined) {
    const sql = SqlDatabase.sqlite(db);
    byConnection.set(db, (q = { sql, k: sql.as<OutboxTables>() }));
  }
  return q;
}
