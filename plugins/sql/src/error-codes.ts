/**
 * The registry of every code `@plugboard/sql` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `SqlErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const SQL_ERRORS = {
  PB_SQL_DATABASE: 'The database target names no supported store (a SQLite path, a better-sqlite3 Database, a `postgres://` URL or a Kysely instance on PostgreSQL), PostgreSQL refused the first connection, or an adopted Kysely was asked to listen without a `listenUrl`. Fix the target or start PostgreSQL.',
  PB_SQL_DIALECT: 'A SQLite-only call (`runSync`, `transactSync`, `migrateSync`) was made on PostgreSQL. Use `run` or `transact`, which work on both.',
  PB_SQL_BIND: 'A query parameter has no SQL form (an object, a function, a symbol). Pass strings, numbers, bigints, booleans, Buffers or null.',
  PB_SQL_MIGRATION: 'A migration failed; the scope and migration are named and the cause attached. Fix the database, then open again.',
  PB_SQL_SCHEMA: 'The database carries migrations of a scope that this code does not know: it was migrated by a newer version. Upgrade the package named.',
  PB_SQL_CLOSED: 'The database was closed. Open a new one.',
} as const;

/** A code of {@link SqlError}. */
export type SqlErrorCode = keyof typeof SQL_ERRORS;

type SqlErrorTable = typeof SQL_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends SqlErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (SqlErrors.is(e, 'PB_SQL_SCHEMA')) console.error(e.message);
 * ```
 */
export const SqlErrors = defineErrorRegistry('@plugboard/sql', SQL_ERRORS);
