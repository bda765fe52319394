import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';
import { all, exec, first, migrate, migrateSync, notify, param, prepare, raw, SqlDatabase, SqlError, type SqlMigration, type Work } from '../src/index';

interface Tables {
  notes: { id: number; text: string; done: number };
}

const notesMigrations: SqlMigration[] = [
  {
    name: '0001_notes',
    statements: (k) => [
      k.schema
        .createTable('notes')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('text', 'text', (c) => c.notNull().unique())
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0)),
    ],
  },
];

function* addNote(k: Kysely<Tables>, id: number, text: string): Work<number> {
  yield* exec(k.insertInto('notes').values({ id, text, done: 0 }));
  yield* notify('notes', String(id));
  const n = yield* first(k.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')));
  return Number(n?.n);
}

type Opened = { db: SqlDatabase; other: () => Promise<SqlDatabase>; done: () => Promise<void> };

const dialects: [string, () => Promise<Opened>][] = [
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
      const pg: TestDatabase = await pgDatabase('pb-sql-test');
      const opened: SqlDatabase[] = [];
      const open = async (): Promise<SqlDatabase> => {
        const d = await SqlDatabase.open(pg.url());
        opened.push(d);
        return d;
      };
      const db = await open();
      return { db, other: open, done: async () => { for (const d of opened) await d.close(); await pg.drop(); } };
    },
  ],
];

describe.each(dialects)('SqlDatabase on %s', (_dialect, openDb) => {
  let o: Opened;
  let k: Kysely<Tables>;
  beforeEach(async () => {
    o = await openDb();
    await migrate(o.db, '@test/notes', notesMigrations);
    k = o.db.as<Tables>();
  });
  afterEach(() => o.done());

  it('runs one work on both dialects and returns its result', async () => {
    expect(await o.db.transact(addNote(k, 1, 'first'))).toBe(1);
    expect(await o.db.run(all(k.selectFrom('notes').select(['id', 'text']).orderBy('id')))).toEqual([{ id: 1, text: 'first' }]);
  });

  it('rolls a transaction back as a whole when a statement fails, and sends none of its notifications', async () => {
    const heard: (string | undefined)[] = [];
    await o.db.listen('notes', (p) => heard.push(p));
    await o.db.transact(addNote(k, 1, 'first'));
    // This one fails after its first statement: that statement must not stay.
    const failing = (function* (): Work<void> {
      yield* exec(k.insertInto('notes').values({ id: 2, text: 'second', done: 0 }));
      yield* notify('notes', '2');
      throw new Error('the work failed');
    })();
    await expect(o.db.transact(failing)).rejects.toThrow('the work failed');
    expect(await o.db.run(all(k.selectFrom('notes').select('id')))).toEqual([{ id: 1 }]);
    await until(() => heard.length >= 1);
    expect(heard).toEqual(['1']);
  });

  it('lets a work catch a failing statement and go on', async () => {
    function* upsert(id: number, text: string): Work<string> {
      try {
        yield* exec(k.insertInto('notes').values({ id, text, done: 0 }));
        return 'inserted';
      } catch {
        return 'kept';
      }
    }
    expect(await o.db.run(upsert(1, 'a'))).toBe('inserted');
    expect(await o.db.run(upsert(1, 'a'))).toBe('kept');
  });

  it('tells listeners of another connection after the commit', async () => {
    const other = await o.other();
    const heard: (string | undefined)[] = [];
    await other.listen('notes', (p) => heard.push(p));
    await o.db.transact(addNote(k, 7, 'seven'));
    await until(() => heard.length > 0);
    expect(heard).toEqual(['7']);
  });

  it('binds booleans as 0/1 and refuses an object parameter, naming its position', async () => {
    await o.db.run(exec(k.insertInto('notes').values({ id: 1, text: 't', done: true as unknown as number })));
    expect((await o.db.run(first(k.selectFrom('notes').select('done'))))?.done).toBe(1);
    if (o.db.dialect === 'sqlite') {
      await expect(o.db.run(exec(k.insertInto('notes').values({ id: 2, text: { a: 1 } as unknown as string, done: 0 })))).rejects.toThrow(/Parameter 2 .* is a object/);
    }
  });

  it('binds the named parameters of a query compiled once, and names a missing one', async () => {
    const insert = prepare(k.insertInto('notes').values({ id: param<number>('id'), text: param<string>('text'), done: 0 }));
    const byText = prepare(k.selectFrom('notes').select('id').where('text', '=', param<string>('text')).where('done', '=', 0));
    await o.db.transact((function* () {
      yield* exec(insert({ id: 1, text: 'one' }));
      yield* exec(insert({ id: 2, text: 'two' }));
    })());
    expect(await o.db.run(all(byText({ text: 'two' })))).toEqual([{ id: 2 }]);
    expect(() => byText({})).toThrow(expect.objectContaining({ code: 'PB_SQL_BIND', message: expect.stringContaining('Parameter "text"') as unknown as string }));
  });

  it('holds one transaction across awaits: works inside join it, a failed part rolls back alone, a throw rolls back all', async () => {
    const heard: (string | undefined)[] = [];
    await o.db.listen('notes', (p) => heard.push(p));
    const ids = async (): Promise<number[]> => (await o.db.run(all(k.selectFrom('notes').select('id').orderBy('id')))).map((r) => r.id);
    await o.db.hold(async (savepoint) => {
      await o.db.transact(addNote(k, 1, 'one'));
      await new Promise((r) => setImmediate(r));
      await expect(savepoint(async () => (await o.db.transact(addNote(k, 2, 'two')), Promise.reject(new Error('the part failed'))))).rejects.toThrow('the part failed');
      await savepoint(() => o.db.run(addNote(k, 3, 'three')));
      expect(heard).toEqual([]);
    });
    expect(await ids()).toEqual([1, 3]);
    await until(() => heard.length === 2);
    await expect(
      o.db.hold(async () => {
        await o.db.run(addNote(k, 4, 'four'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await ids()).toEqual([1, 3]);
  });

  it('migrates once when opened concurrently, and refuses a database migrated by newer code', async () => {
    const a = await o.other();
    const b = await o.other();
    const results = await Promise.all([migrate(a, '@test/more', notesMigrations.map((m) => ({ ...m, name: '0001_more', statements: (kk: Kysely<unknown>) => [raw(kk, sql`CREATE TABLE more_notes (id integer)`)] }))), migrate(b, '@test/more', [{ name: '0001_more', statements: (kk) => [raw(kk, sql`CREATE TABLE more_notes (id integer)`)] }])]);
    expect(results.flat()).toEqual(['0001_more']);
    const err = await migrate(o.db, '@test/notes', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).code).toBe('PB_SQL_SCHEMA');
    expect((err as SqlError).message).toMatch(/0001_notes of @test\/notes .* upgrade @test\/notes/);
  });
});

describe('SqlDatabase.open', () => {
  it('names PostgreSQL that refuses the connection, without the password', async () => {
    const err = await SqlDatabase.open('postgres://u:secret@127.0.0.1:1/none').catch((e: unknown) => e);
    expect((err as SqlError).code).toBe('PB_SQL_DATABASE');
    expect((err as SqlError).message).toContain('postgres://u:***@127.0.0.1:1/none');
    expect((err as SqlError).message).not.toContain('secret');
  });

  it('refuses runSync-style calls on PostgreSQL with a coded error', async () => {
    const pg = await pgDatabase('pb-sql-test');
    const db = await SqlDatabase.open(pg.url());
    try {
      expect(() => db.transactSync(all(db.as<Tables>().selectFrom('notes').selectAll()))).toThrow(expect.objectContaining({ code: 'PB_SQL_DIALECT' }));
      expect(() => db.runSync(all(db.as<Tables>().selectFrom('notes').selectAll()))).toThrow(expect.objectContaining({ code: 'PB_SQL_DIALECT' }));
    } finally {
      await db.close();
      await pg.drop();
    }
  });
});

describe('SqlDatabase.runSync on SQLite', () => {
  it('reads synchronously without taking the write lock another connection holds, and runs each statement on its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-sql-runsync-'));
    const db = SqlDatabase.sqlite(join(dir, 'notes.db'));
    const writer = new BetterSqlite3(join(dir, 'notes.db'));
    try {
      migrateSync(db, '@test/notes', notesMigrations);
      const k = db.as<Tables>();
      db.runSync(exec(k.insertInto('notes').values({ id: 1, text: 'one', done: 0 })));
      writer.pragma('busy_timeout = 0');
      writer.exec('BEGIN IMMEDIATE');
      expect(db.runSync(all(k.selectFrom('notes').select('text')))).toEqual([{ text: 'one' }]);
      (db.sqlite as NonNullable<typeof db.sqlite>).pragma('busy_timeout = 0');
      expect(() => db.transactSync(all(k.selectFrom('notes').select('text')))).toThrow(/locked|busy/i);
      writer.exec('ROLLBACK');
      expect(db.sqlite?.inTransaction).toBe(false);
    } finally {
      writer.close();
      void db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqlDatabase adopting a Kysely instance on PostgreSQL', () => {
  it('runs works on it, listens only with a listenUrl, and leaves it open on close', async () => {
    const pg = await pgDatabase('pb-sql-test');
    const owner = await SqlDatabase.open(pg.url());
    const kysely = owner.as<unknown>();
    try {
      const adopted = await SqlDatabase.open(kysely);
      await migrate(adopted, '@test/notes', notesMigrations);
      expect(await adopted.transact(addNote(adopted.as<Tables>(), 1, 'one'))).toBe(1);
      await expect(adopted.listen('notes', () => undefined)).rejects.toMatchObject({ code: 'PB_SQL_DATABASE', message: expect.stringContaining('listenUrl') as unknown as string });
      await adopted.close();
      expect(await owner.run(all(owner.as<Tables>().selectFrom('notes').select('id')))).toEqual([{ id: 1 }]);

      const listening = await SqlDatabase.open(kysely, { listenUrl: pg.url('listener') });
      const heard: (string | undefined)[] = [];
      await listening.listen('notes', (p) => heard.push(p));
      await owner.transact(addNote(owner.as<Tables>(), 2, 'two'));
      await until(() => heard.length > 0);
      expect(heard).toEqual(['2']);
      await listening.close();
    } finally {
      await owner.close();
      await pg.drop();
    }
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
