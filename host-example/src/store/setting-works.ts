/** The works on `parameters` (JSON values per application, level and user) and `user_limits`. */
import { all, exec, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { HostTables } from './host-tables';

type K = Kysely<HostTables>;

export function* parameters(k: K, application: string, level: 'A' | 'U', userId: number): Work<Record<string, unknown>> {
  const rows = yield* all(k.selectFrom('parameters').select(['name', 'value']).where('application', '=', application).where('level', '=', level).where('user_id', '=', userId));
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
}

export function* setParameter(k: K, application: string, level: 'A' | 'U', userId: number, name: string, value: unknown): Work<void> {
  yield* exec(
    k
      .insertInto('parameters')
      .values({ application, level, user_id: userId, name, value: JSON.stringify(value) })
      .onConflict((oc) => oc.columns(['application', 'level', 'user_id', 'name']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') })),
  );
}

export function* limits(k: K, userId: number): Work<Record<string, number>> {
  const rows = yield* all(k.selectFrom('user_limits').select(['name', 'max_value']).where('user_id', '=', userId));
  return Object.fromEntries(rows.map((r) => [r.name, r.max_value]));
}

export function* setLimit(k: K, userId: number, name: string, max: number): Work<void> {
  yield* exec(
    k
      .insertInto('user_limits')
      .values({ user_id: userId, name, max_value: max })
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ max_value: (eb) => eb.ref('excluded.max_value') })),
  );
}
