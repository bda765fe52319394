import { sql } from 'kysely';
import { PgOutbox } from '../src';
import { recordingLogger } from './support/helpers';
import { pgDatabase, type TestDatabase } from './support/pg';

describe('PgOutbox commits', () => {
  let pg: TestDatabase;
  let outbox: PgOutbox;
  beforeEach(async () => {
    pg = await pgDatabase();
    outbox = await PgOutbox.open({ database: pg.url() as `postgres://${string}`, logger: recordingLogger(), concurrency: 1 });
  });
  afterEach(async () => {
    await outbox.close();
    await pg.drop();
  });

  it("keeps enqueues durable: the loop's commits without a WAL flush leave every pooled connection at synchronous_commit on", async () => {
    const got: unknown[] = [];
    outbox.register('smtp', (m) => void got.push(m.payload));
    outbox.start();
    for (let i = 0; i < 20; i++) await outbox.enqueue('smtp', { i });
    await outbox.drain();
    expect(got).toHaveLength(20);
    // Three queries held at once take every connection of the pool (concurrency 1 + 2), those the loop used included.
    const settings = await Promise.all(
      [1, 2, 3].map(async () => (await sql<{ s: string }>`SELECT current_setting('synchronous_commit') AS s FROM pg_sleep(0.2)`.execute(outbox.db)).rows[0]?.s),
    );
    expect(settings).toEqual(['on', 'on', 'on']);
    const { rows } = await pg.admin.query<{ n: string }>(`SELECT count(DISTINCT pid)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pb-test'`);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(3);
  });
});
