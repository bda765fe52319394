import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { SqlError } from './errors';

/** A placeholder that stands in a query for a value bound per call. */
class Param {
  constructor(readonly name: string) {}
}

/**
 * A named placeholder for {@link prepare}: typed as the value it stands for, so the query
 * builder checks it like a value.
 *
 * @example
 * ```ts
 * const byId = prepare(k.selectFrom('notes').selectAll().where('id', '=', param<number>('id')));
 * const note = await db.run(first(byId({ id: 7 })));
 * ```
 */
export function param<T>(name: string): T {
  return new Param(name) as unknown as T;
}

/**
 * Compiles a query once; each call binds its named {@link param}s and hands back a statement for
 * a work. Building and compiling a Kysely query costs several microseconds, more than running a
 * prepared SQLite statement: hot paths build theirs once, here.
 * @throws SqlError `PB_SQL_BIND` when a call lacks a parameter the query names.
 */
export function prepare<R>(query: Compilable<R>): (params: object) => Compilable<R> {
  const compiled = query.compile();
  const slots = compiled.parameters.map((v) => (v instanceof Param ? v.name : undefined));
  if (!slots.some((s) => s !== undefined)) return () => ({ compile: () => compiled });
  return (params) => {
    const parameters = compiled.parameters.map((v, i) => {
      const name = slots[i];
      if (name === undefined) return v;
      if (!(name in params)) throw new SqlError('PB_SQL_BIND', `Parameter "${name}" of "${compiled.sql.slice(0, 80)}" was not given; pass it in the call's object.`);
      return (params as Record<string, unknown>)[name];
    });
    const bound: CompiledQuery<R> = { ...compiled, parameters };
    return { compile: () => bound };
  };
}

/**
 * {@link prepare} for works written as free functions of a Kysely instance: compiled once per
 * instance (its dialect decides the SQL), on first use.
 *
 * @example
 * ```ts
 * const byToken = prepareFor((k: Kysely<Tables>) => k.selectFrom('sessions').selectAll().where('token_hash', '=', param<string>('hash')));
 * const row = yield* first(byToken(k, { hash }));
 * ```
 */
export function prepareFor<T, R>(build: (k: Kysely<T>) => Compilable<R>): (k: Kysely<T>, params: object) => Compilable<R> {
  const prepared = new WeakMap<Kysely<T>, (params: object) => Compilable<R>>();
  return (k, params) => {
    let bind = prepared.get(k);
    if (bind === undefined) prepared.set(k, (bind = prepare(build(k))));
    return bind(params);
  };
}
