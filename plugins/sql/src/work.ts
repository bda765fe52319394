import type { Compilable, CompiledQuery } from 'kysely';

/** One thing a unit of work asks its runner to do. */
export type Step =
  | { readonly kind: 'query'; readonly query: CompiledQuery }
  | { readonly kind: 'notify'; readonly topic: string; readonly payload: string };

/** What the runner hands back for a step: the rows read (or returned) and the rows changed. */
export interface StepResult {
  readonly rows: readonly unknown[];
  readonly changes: number;
}

/**
 * A unit of work: a generator that yields its statements and gets their results back. Written
 * once, it runs synchronously on better-sqlite3 (so a transaction cannot interleave with anything
 * else on the shared connection) and as awaited queries on PostgreSQL. Compose works with `yield*`.
 *
 * @example
 * ```ts
 * function* rename(db: Kysely<Tables>, id: number, name: string): Work<boolean> {
 *   const changed = yield* exec(db.updateTable('things').set({ name }).where('id', '=', id));
 *   if (changed > 0) yield* notify('things', String(id));
 *   return changed > 0;
 * }
 * await database.transact(rename(database.kysely, 1, 'new name'));
 * ```
 */
export type Work<R> = Generator<Step, R, StepResult>;

/** Every row the query reads or returns. */
export function* all<R>(query: Compilable<R>): Work<R[]> {
  const result = yield { kind: 'query', query: query.compile() };
  return result.rows as R[];
}

/** The first row, or `undefined`. */
export function* first<R>(query: Compilable<R>): Work<R | undefined> {
  const rows = yield* all(query);
  return rows[0];
}

/** Runs a statement; returns how many rows it changed. */
export function* exec(query: Compilable<unknown>): Work<number> {
  const result = yield { kind: 'query', query: query.compile() };
  return result.changes;
}

/**
 * Tells every listener of `topic` (in every process on PostgreSQL) once the surrounding
 * transaction commits; nothing is sent when it rolls back.
 */
export function* notify(topic: string, payload = ''): Work<void> {
  yield { kind: 'notify', topic, payload };
}

/** A work that only computes: lets a plain value be used where a work is expected. */
// eslint-disable-next-line require-yield -- a work with no statement is still a work
export function* pure<R>(value: R): Work<R> {
  return value;
}
