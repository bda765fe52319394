import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox, decodeSecretKey, generateSecretKey } from '@plugboard/core';
import { Outbox } from '@plugboard/outbox';
import { EmailHooks, EmailHookStore, type EmailHookConfigInput } from '@plugboard/notify';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';

const box = new SecretBox([decodeSecretKey(generateSecretKey(), 'test key')]);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Stores on one database; `another` opens one as another process would on PostgreSQL. */
interface Opened {
  readonly another: () => Promise<EmailHookStore>;
  readonly rawData: (name: string) => Promise<string>;
  readonly done: () => Promise<void>;
}

const dialects: [string, () => Promise<Opened>][] = [
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'pb-notify-hooks-'));
      const db = new Database(join(dir, 'host.db'));
      const opened: EmailHookStore[] = [];
      return Promise.resolve({
        another: async () => {
          const s = await EmailHookStore.open({ database: db, secrets: box });
          opened.push(s);
          return s;
        },
        rawData: (name) => Promise.resolve(db.prepare('SELECT data FROM notify_email_hooks WHERE name = ?').pluck().get(name) as string),
        done: async () => {
          for (const s of opened) await s.close();
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  ],
  [
    'postgres',
    async () => {
      const pg: TestDatabase = await pgDatabase('pb-notify-hooks');
      const opened: EmailHookStore[] = [];
      return {
        another: async () => {
          const s = await EmailHookStore.open({ database: pg.url(), secrets: box });
          opened.push(s);
          return s;
        },
        rawData: async (name) => (await pg.admin.query<{ data: string }>('SELECT data FROM notify_email_hooks WHERE name = $1', [name])).rows[0].data,
        done: async () => {
          for (const s of opened) await s.close();
          await pg.drop();
        },
      };
    },
  ],
];

function hook(name: string, over: Partial<EmailHookConfigInput> = {}): EmailHookConfigInput {
  return {
    name,
    kind: 'simple',
    events: ['AccountCreated'],
    settings: { host: '127.0.0.1', port: 2525, credentials: 'mailer:hook-secret-7', sender: 'pb@plugboard.test', recipients: 'ops@plugboard.test', requireTls: false },
    ...over,
  };
}

describe.each(dialects)('EmailHookStore on %s', (_dialect, openStores) => {
  let o: Opened;
  let store: EmailHookStore;

  beforeEach(async () => {
    o = await openStores();
    store = await o.another();
  });

  afterEach(async () => {
    await o.done();
  });

  test('creates, lists masked, updates (merging settings, keeping masked credentials) and deletes hooks', async () => {
    expect((await store.create(hook('welcome'))).settings.credentials).toBe('***');
    await expect(store.create(hook('welcome'))).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_EXISTS' }));
    const listed = store.list()[0];
    const updated = await store.update('welcome', { ...listed, kind: 'simple', settings: { ...listed.settings, subject: 'Hi' } });
    expect(updated).toMatchObject({ revision: 2, settings: { credentials: '***', subject: 'Hi' } });
    expect(store.get('welcome').settings).toMatchObject({ credentials: 'mailer:hook-secret-7', subject: 'Hi' });
    await expect(store.update('nope', { realms: [] })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    expect(await store.delete('welcome')).toBe(true);
    expect(store.names()).toEqual([]);
  });

  test('the stored row holds the hook sealed: no credentials in plaintext', async () => {
    await store.create(hook('welcome'));
    const raw = await o.rawData('welcome');
    expect(raw).toMatch(/^enc:v1:/);
    expect(raw).not.toContain('hook-secret-7');
  });

  test('a hook another store adds registers its outbox channel in this process within a second', async () => {
    const outbox = new Outbox({ database: ':memory:', logger: quiet });
    const hooks = new EmailHooks({ outbox, store });
    try {
      hooks.sync();
      const other = await o.another();
      const registered = new Promise<void>((resolve) => store.onChange((name) => name === 'signup' && resolve()));
      const started = Date.now();
      await other.create(hook('signup'));
      await registered;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(outbox.channels()).toContain('emailhook:signup');
      const gone = new Promise<void>((resolve) => store.onChange((name) => name === 'signup' && resolve()));
      await other.delete('signup');
      await gone;
      expect(outbox.channels()).not.toContain('emailhook:signup');
    } finally {
      hooks.close();
      await outbox.close();
    }
  });
});
