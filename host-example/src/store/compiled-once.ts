import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { HostError } from '../errors';

type Value = string | number;

/**
 * A query of a hot path (one every request makes) compiled once per database and bound anew on
 * each run: Kysely's compile costs more than SQLite's cached statement takes to run. `build`
 * must use each argument once, as a parameter, in order; checked on the first compile with the
 * `samples` (distinct values), so a query that breaks the rule fails at once instead of binding wrong.
 *
 * @example
 * ```ts
 * const byToken = compiledOnce((k, hash: string) => k.selectFrom('sessions').selectAll().where('token_hash', '=', hash), ['sample-hash']);
 * const row = yield* first(byToken(k, hash));
 * ```
 */
export function compiledOnce<T, A extends readonly Value[], R>(build: (k: Kysely<T>, ...args: A) => Compilable<R>, samples: A): (k: Kysely<T>, ...args: A) => Compilable<R> {
  const compiled = new WeakMap<Kysely<T>, CompiledQuery<R>>();
  const first = (k: Kysely<T>): CompiledQuery<R> => {
    const query = build(k, ...samples).compile();
    if (query.parameters.length !== samples.length || query.parameters.some((p, i) => p !== samples[i])) {
      throw new HostError('PB_HOST_INVALID', `compiledOnce: "${query.sql.slice(0, 60)}" does not bind its arguments once each, in order; build it with compile() on each run instead.`);
    }
    compiled.set(k, query);
    return query;
  };
  return (k, ...args) => ({ compile: () => ({ ...(compiled.get(k) ?? first(k)), parameters: args }) });
}
