import { migrate, migrateSync, SqlDatabase, SqlError } from '@plugboard/sql';
import type { Database } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { OutboxError } from '../errors';
import { OUTBOX_MIGRATIONS, OUTBOX_SCOPE } from './outbox-migrations';

/**
 * Brings the outbox tables up to date with the shared migrator of @plugboard/sql (locked, so
 * several processes starting at once migrate once). Returns the names applied. `PgOutbox.open`
 * calls it; call it yourself to migrate at deploy time rather than at start.
 *
 * @example
 * ```ts
 * const db = await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/host.db');
 * console.log('applied', await migrateOutbox(db));
 * ```
 */
export async function migrateOutbox(db: SqlDatabase | Kysely<unknown>): Promise<string[]> {
  const target = db instanceof SqlDatabase ? db : await SqlDatabase.open(db);
  try {
    return await migrate(target, OUTBOX_SCOPE, OUTBOX_MIGRATIONS);
  } catch (err) {
    throw asOutboxError(err);
  }
}

/** {@link migrateOutbox} on a better-sqlite3 connection, synchronously, so `new Outbox(…)` stays synchronous. */
export function migrateOutboxSync(db: Database): string[] {
  try {
    return migrateSync(SqlDatabase.sqlite(db), OUTBOX_SCOPE, OUTBOX_MIGRATIONS);
  } catch (err) {
    throw asOutboxError(err);
  }
}

/** The migrator's errors in the outbox's own codes, which its users match on. */
function asOutboxError(err: unknown): unknown {
  if (!(err instanceof SqlError)) return err;
  if (err.code === 'PB_SQL_SCHEMA') return new OutboxError('PB_OUTBOX_SCHEMA', `${err.message.replace(/upgrade @plugboard\/outbox\.$/, '')}upgrade @plugboard/outbox.`, { cause: err });
  if (err.code === 'PB_SQL_MIGRATION') return new OutboxError('PB_OUTBOX_MIGRATION', err.message, { cause: err });
  // A connection failure: the caller says what to check.
  return err;
}
