import { SqlDatabase } from '@plugboard/sql';
import { pgDatabase } from '../../../test/support/pg-database';

/** A fresh database of one dialect, a second connection to it, and the teardown. */
export interface OpenedDatabase {
  readonly db: SqlDatabase;
  /** Another connection to the same database (another process's view). */
  readonly other: () => Promise<SqlDatabase>;
  readonly done: () => Promise<void>;
}

/** The two dialects the store runs on, for `describe.each`. */
export const DIALECTS: [string, () => Promise<OpenedDatabase>][] = [
  [
    'sqlite',
    () => {
      const db = SqlDatabase.sqlite(':memory:');
      return Promise.resolve({ db, other: () => Promise.resolve(SqlDatabase.sqlite(db.sqlite as NonNullable<typeof db.sqlite>)), done: () => db.close() });
    },
  ],
  [
    'postgres',
    async () => {
      const pg = await pgDatabase('pb-rules-test');
      const opened: SqlDatabase[] = [];
      const open = async (): Promise<SqlDatabase> => {
        const d = await SqlDatabase.open(pg.url());
        opened.push(d);
        return d;
      };
      const db = await open();
      return {
        db,
        other: open,
        done: async () => {
          for (const d of opened) await d.close();
          await pg.drop();
        },
      };
    },
  ],
];
