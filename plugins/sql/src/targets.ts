import type { Database as SqliteConnection } from 'better-sqlite3';
import { Kysely } from 'kysely';

/** Whether `value` is a Kysely instance (also one from another copy of the package). */
export function isKysely(value: unknown): value is Kysely<unknown> {
  return value instanceof Kysely || (typeof value === 'object' && value !== null && typeof (value as { getExecutor?: unknown }).getExecutor === 'function' && typeof (value as { selectFrom?: unknown }).selectFrom === 'function');
}

/** Whether `value` is a better-sqlite3 connection. */
export function isSqliteConnection(value: unknown): value is SqliteConnection {
  return typeof value === 'object' && value !== null && typeof (value as { prepare?: unknown }).prepare === 'function' && typeof (value as { pragma?: unknown }).pragma === 'function';
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'the URL given';
  }
}
