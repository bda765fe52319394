import { all, SqlDatabase } from '@plugboard/sql';
import { sql } from 'kysely';
import { compiledOnce } from './compiled-once';

interface T {
  t: { a: string; b: number };
}

describe('compiledOnce', () => {
  const db = SqlDatabase.sqlite(':memory:');
  const k = db.as<T>();
  beforeAll(() => db.sqlite?.exec("CREATE TABLE t (a TEXT, b INTEGER); INSERT INTO t VALUES ('x', 1), ('y', 2), ('y', 3)"));
  afterAll(() => db.close());

  it('builds the query once per database and binds each run’s values', async () => {
    let builds = 0;
    const q = compiledOnce(
      (kk: typeof k, a: string, b: number) => {
        builds++;
        return kk.selectFrom('t').select('b').where('a', '=', a).where('b', '>', b).orderBy('b');
      },
      ['sample', 0],
    );
    expect(await db.run(all(q(k, 'y', 0)))).toEqual([{ b: 2 }, { b: 3 }]);
    expect(await db.run(all(q(k, 'y', 2)))).toEqual([{ b: 3 }]);
    expect(await db.run(all(q(k, 'x', 0)))).toEqual([{ b: 1 }]);
    expect(builds).toBe(1);
  });

  it('refuses a query that does not bind its arguments once each, in order', () => {
    const twice = compiledOnce((kk: typeof k, a: string) => kk.selectFrom('t').select('b').where('a', '=', a).where(sql<boolean>`${a} <> ''`), ['sample']);
    expect(() => twice(k, 'x').compile()).toThrow(expect.objectContaining({ code: 'PB_HOST_INVALID', message: expect.stringContaining('does not bind its arguments once each, in order') }));
    const swapped = compiledOnce((kk: typeof k, a: string, b: number) => kk.selectFrom('t').select('b').where('b', '=', b).where('a', '=', a), ['sample', 7]);
    expect(() => swapped(k, 'x', 1).compile()).toThrow(expect.objectContaining({ code: 'PB_HOST_INVALID' }));
  });
});
