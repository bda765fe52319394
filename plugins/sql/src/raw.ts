import type { Compilable, CompiledQuery, Kysely, RawBuilder } from 'kysely';

/**
 * A `sql\`…\`` template as a statement a {@link Work} can yield: a trigger, a dialect's own
 * function, anything the builder does not cover.
 *
 * @example
 * ```ts
 * yield* exec(raw(k, sql`SELECT pg_advisory_xact_lock(${key})`));
 * ```
 */
export function raw<R>(db: Kysely<unknown>, query: RawBuilder<R>): Compilable<R> {
  return { compile: (): CompiledQuery<R> => query.compile(db) };
}
