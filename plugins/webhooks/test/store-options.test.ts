import { decodeSecretKey, generateSecretKey, SecretBox } from '@plugboard/core';
import { PgOutbox } from '@plugboard/outbox';
import { SqlDatabase } from '@plugboard/sql';
import { EndpointStore, Webhooks } from '@plugboard/webhooks';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';
import { tempDir } from './helpers';

type Dialect = 'sqlite' | 'postgres';

describe.each<Dialect>(['sqlite', 'postgres'])('a routing copy that cannot be reloaded on %s', (dialect) => {
  let pg: TestDatabase | undefined;
  let tmp: ReturnType<typeof tempDir> | undefined;
  let db: SqlDatabase;

  beforeEach(async () => {
    if (dialect === 'postgres') {
      pg = await pgDatabase('webhooks-options');
      db = await SqlDatabase.open(pg.url());
    } else {
      tmp = tempDir();
      db = SqlDatabase.sqlite(tmp.file('app.db'));
    }
  });
  afterEach(async () => {
    await db.close();
    await pg?.drop();
    tmp?.cleanup();
  });

  it('is reported to the logger, and publishing goes on with the last copy', async () => {
    let warned!: (msg: string) => void;
    const warning = new Promise<string>((resolve) => (warned = resolve));
    const keyless = await EndpointStore.open(db, { logger: { warn: (_obj, msg) => warned(msg) } });
    await keyless.create({ name: 'plain', url: 'https://plain.example/hooks' });
    const sealed = await EndpointStore.open(db, { secrets: new SecretBox([decodeSecretKey(generateSecretKey(), 'test key')]) });
    try {
      await sealed.create({ name: 'sealed', url: 'https://sealed.example/hooks' });
      expect(await warning).toMatch(/could not be reloaded.*encrypted, but no secret key was given/);
      expect(keyless.matching('AccountCreated').map((e) => e.name)).toEqual(['plain']);
    } finally {
      await sealed.close();
      await keyless.close();
    }
  });
});

describe('opening on PostgreSQL', () => {
  it('refuses a postgres:// URL in the synchronous constructors and asks for open()', async () => {
    expect(() => new EndpointStore('postgres://postgres@127.0.0.1:5432/test')).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_INVALID_OPTION', message: expect.stringMatching(/EndpointStore\.open/) }));
    const pg = await pgDatabase('webhooks-options');
    const outbox = await PgOutbox.open({ database: pg.url() });
    try {
      await expect(Webhooks.open({ outbox })).rejects.toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_INVALID_OPTION', message: expect.stringMatching(/pass `database`/) }));
    } finally {
      await outbox.close();
      await pg.drop();
    }
  });
});
