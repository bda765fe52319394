import { PgOutbox } from '../src';
import { recordingLogger } from './support/helpers';
import { pgDatabase } from './support/pg';

describe('PgOutbox migrations', () => {
  let pg: Awaited<ReturnType<typeof pgDatabase>>;
  beforeEach(async () => (pg = await pgDatabase()));
  afterEach(async () => pg.drop());

  it('migrates a fresh schema once when three processes open it at the same moment', async () => {
    const outboxes = await Promise.all(['a', 'b', 'c'].map((app) => PgOutbox.open({ database: pg.url(app), logger: recordingLogger() })));
    try {
      const { rows } = await pg.admin.query<{ name: string }>(`SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/outbox'`);
      expect(rows.map((r) => r.name)).toEqual(['0001_outbox', '0002_active_index']);
      // The loop's claims and wake-up checks read active messages through it, never scanning delivered ones.
      const { rows: indexes } = await pg.admin.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'outbox_messages_active'`);
      expect(indexes[0]?.indexdef).toMatch(/\(due_at\) WHERE \(state = ANY \(ARRAY\['pending'::text, 'delivering'::text\]\)\)/);
      const m = await outboxes[0].enqueue('smtp', { n: 1 });
      expect(await outboxes[2].get(m.id)).toMatchObject({ state: 'pending', payload: { n: 1 } });
    } finally {
      await Promise.all(outboxes.map((o) => o.close()));
    }
  });

  it('refuses a schema migrated by a newer @plugboard/outbox with PB_OUTBOX_SCHEMA', async () => {
    await (await PgOutbox.open({ database: pg.url(), logger: recordingLogger() })).close();
    await pg.admin.query(`INSERT INTO plugboard_migrations (scope, name, applied_at) VALUES ('@plugboard/outbox', '9999_future', now()::text)`);
    await expect(PgOutbox.open({ database: pg.url(), logger: recordingLogger() })).rejects.toMatchObject({ code: 'PB_OUTBOX_SCHEMA' });
  });

  it('fails with PB_OUTBOX_DATABASE, saying to check the server, when PostgreSQL is not there', async () => {
    await expect(PgOutbox.open({ database: 'postgres://postgres@127.0.0.1:1/test', logger: recordingLogger() })).rejects.toMatchObject({
      code: 'PB_OUTBOX_DATABASE',
      message: expect.stringContaining('check the URL and that the server runs') as unknown as string,
    });
  });
});
