import type { Kysely } from 'kysely';
import { OutboxError } from './errors';
import { Outbox } from './outbox';
import type { OutboxOptions } from './outbox-options';
import { isPostgresKysely, isPostgresUrl } from './pg/pg-connect';
import { PgOutbox, type PgOutboxOptions } from './pg/pg-outbox';

type PostgresUrl = `postgres://${string}` | `postgresql://${string}`;

/**
 * Opens the outbox on the store `database` names: a `postgres://` URL or a Kysely instance on
 * PostgresDialect → {@link PgOutbox}; a better-sqlite3 Database or a file path → the SQLite
 * {@link Outbox}. Both run the same Kysely migrations.
 *
 * @example
 * ```ts
 * const outbox = await openOutbox({ database: process.env.PLUGBOARD_DATABASE_URL ?? 'data/host.db' });
 * outbox.register('smtp', deliverMail);
 * outbox.start();
 * await outbox.enqueue('smtp', mail); // a value on SQLite, a promise on PostgreSQL: await works for both
 * ```
 */
export function openOutbox(options: PgOutboxOptions & { readonly database: PostgresUrl | Kysely<unknown> }): Promise<PgOutbox>;
export function openOutbox(options: OutboxOptions): Promise<Outbox>;
export function openOutbox(options: OutboxOptions | PgOutboxOptions): Promise<Outbox | PgOutbox>;
export async function openOutbox(options: OutboxOptions | PgOutboxOptions): Promise<Outbox | PgOutbox> {
  const db: unknown = options.database;
  if (typeof db === 'string') {
    return isPostgresUrl(db) ? PgOutbox.open(options as PgOutboxOptions) : new Outbox(options as OutboxOptions);
  }
  if (isKysely(db)) {
    if (isPostgresKysely(db)) return PgOutbox.open(options as PgOutboxOptions);
    throw new OutboxError('PB_OUTBOX_DATABASE', 'A Kysely instance is accepted for PostgreSQL only; for SQLite pass the better-sqlite3 Database itself (the outbox prepares its hot statements on it).');
  }
  return new Outbox(options as OutboxOptions);
}

function isKysely(db: unknown): db is Kysely<unknown> {
  return typeof db === 'object' && db !== null && typeof (db as { getExecutor?: unknown }).getExecutor === 'function' && typeof (db as { selectFrom?: unknown }).selectFrom === 'function';
}
