import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox, generateSecretKey, decodeSecretKey } from '@plugboard/core';
import { NotifyConfigStore, SmtpTransportCache } from '@plugboard/notify';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';

/** A store on one dialect, and a way to open another store on the same database (another process on PostgreSQL). */
interface Opened {
  readonly store: NotifyConfigStore;
  readonly another: (options?: { secrets?: SecretBox }) => Promise<NotifyConfigStore>;
  /** The raw `data` column of a row, as stored. */
  readonly rawData: (table: string, name: string) => Promise<string>;
  readonly done: () => Promise<void>;
}

const box = new SecretBox([decodeSecretKey(generateSecretKey(), 'test key')]);

const dialects: [string, (secrets?: SecretBox) => Promise<Opened>][] = [
  [
    'sqlite',
    async (secrets) => {
      const dir = mkdtempSync(join(tmpdir(), 'pb-notify-store-'));
      const db = new Database(join(dir, 'host.db'));
      const opened: NotifyConfigStore[] = [];
      const open = async (o: { secrets?: SecretBox } = {}): Promise<NotifyConfigStore> => {
        const s = await NotifyConfigStore.open({ database: db, ...o });
        opened.push(s);
        return s;
      };
      const store = await open(secrets !== undefined ? { secrets } : {});
      return {
        store,
        another: open,
        rawData: (table, name) => Promise.resolve((db.prepare(`SELECT data FROM ${table} WHERE name = ?`).pluck().get(name) as string)),
        done: async () => {
          for (const s of opened) await s.close();
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async (secrets) => {
      const pg: TestDatabase = await pgDatabase('pb-notify-store');
      const opened: NotifyConfigStore[] = [];
      // Each store on its own SqlDatabase (pool and LISTEN connection): as two processes would.
      const open = async (o: { secrets?: SecretBox } = {}): Promise<NotifyConfigStore> => {
        const s = await NotifyConfigStore.open({ database: pg.url(), ...o });
        opened.push(s);
        return s;
      };
      const store = await open(secrets !== undefined ? { secrets } : {});
      return {
        store,
        another: open,
        rawData: async (table, name) => (await pg.admin.query<{ data: string }>(`SELECT data FROM ${table} WHERE name = $1`, [name])).rows[0].data,
        done: async () => {
          for (const s of opened) await s.close();
          await pg.drop();
        },
      };
    },
  ],
];

describe.each(dialects)('NotifyConfigStore on %s', (_dialect, openStore) => {
  let o: Opened;
  let store: NotifyConfigStore;

  beforeEach(async () => {
    o = await openStore();
    store = o.store;
  });

  afterEach(async () => {
    await o.done();
  });

  test('stores SMTP configurations with defaults and masks the password in listings; a reopened store finds them', async () => {
    const created = await store.createSmtp({ name: 'relay', host: 'smtp.example.org', sender: 'pb@example.org', username: 'u', password: 'pw' });
    expect(created).toMatchObject({ name: 'relay', port: 587, security: 'starttls', password: '***', revision: 1 });
    expect(store.listSmtp()).toEqual([expect.objectContaining({ name: 'relay', password: '***' })]);
    expect(store.getSmtp('relay').password).toBe('pw');
    const reopened = await o.another();
    expect(reopened.names('smtp')).toEqual(['relay']);
  });

  test('an update sending the masked password back keeps the stored one; a new one replaces it', async () => {
    await store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org', password: 'pw' });
    const listed = store.listSmtp()[0];
    const updated = await store.updateSmtp('relay', { ...listed, host: 'b.example.org' });
    expect(updated).toMatchObject({ revision: 2, password: '***' });
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', password: 'pw' });
    await store.updateSmtp('relay', { password: 'new' });
    expect(store.getSmtp('relay').password).toBe('new');
  });

  test('rejects invalid configurations with a coded error naming each bad field', async () => {
    await expect(store.createSmtp({ name: 'bad name!', host: '', sender: 'not-an-address', port: 70000 })).rejects.toThrow(
      expect.objectContaining({ code: 'PB_NOTIFY_INVALID_CONFIG', message: expect.stringMatching(/name: .*host: .*port: .*sender: /s) }),
    );
    await expect(store.createSms({ name: 'gw', url: 'ftp://x', method: 'PUT' as 'GET' })).rejects.toThrow(/url: .*method: /);
    await expect(store.createSms({ name: 'gw', url: 'http://x', success: { bodyRegex: '(' } })).rejects.toThrow(/success.bodyRegex: must be a valid regular expression/);
    await expect(store.createSms({ name: 'gw', url: 'http://x', headers: { 'X-A': 'a\r\nX-B: b' } })).rejects.toThrow(/headers.X-A: must not contain CR or LF/);
    await store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org' });
    await expect(store.updateSmtp('relay', { port: 0 })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_INVALID_CONFIG' }));
    expect(store.getSmtp('relay')).toMatchObject({ port: 587, revision: 1 });
  });

  test('duplicate names, unknown names and deletion are reported', async () => {
    await store.createSms({ name: 'gw', url: 'http://127.0.0.1:1/send' });
    await expect(store.createSms({ name: 'gw', url: 'http://127.0.0.1:1/other' })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_EXISTS' }));
    expect(() => store.getSms('nope')).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    await expect(store.updateSmtp('nope', { port: 25 })).rejects.toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    expect(await store.deleteSms('gw')).toBe(true);
    expect(await store.deleteSms('gw')).toBe(false);
    expect(store.names('sms')).toEqual([]);
  });

  test('SMS gateway secrets (key/token/auth parameters, headers, URL password, secretFields) are masked and round-trip', async () => {
    await store.createSms({
      name: 'gw',
      url: 'https://user:hunter2@sms.example.org/send?api_key=k1&from=pb',
      parameters: { to: '{phone}', text: '{message}', apikey: 'k2', account: 'acc-9' },
      headers: { Authorization: 'Bearer t' },
      secretFields: ['account'],
    });
    const [listed] = store.listSms();
    expect(listed.parameters).toEqual({ to: '{phone}', text: '{message}', apikey: '***', account: '***' });
    expect(listed.headers).toEqual({ Authorization: '***' });
    expect(listed.url).not.toContain('hunter2');
    expect(listed.url).not.toContain('k1');
    await store.updateSms('gw', { ...listed, description: 'edited in the UI' });
    const stored = store.getSms('gw');
    expect(stored.parameters).toEqual({ to: '{phone}', text: '{message}', apikey: 'k2', account: 'acc-9' });
    expect(stored.headers).toEqual({ Authorization: 'Bearer t' });
    expect(stored.url).toBe('https://user:hunter2@sms.example.org/send?api_key=k1&from=pb');
    expect(stored.description).toBe('edited in the UI');
  });

  test('the transport cache reuses one pool per configuration and replaces it when the configuration changes', async () => {
    await store.createSmtp({ name: 'relay', host: '127.0.0.1', port: 2525, sender: 'pb@example.org', security: 'none' });
    const cache = new SmtpTransportCache(store);
    const first = cache.get('relay').transport;
    expect(cache.get('relay').transport).toBe(first);
    await store.updateSmtp('relay', { port: 2526 });
    const second = cache.get('relay').transport;
    expect(second).not.toBe(first);
    expect(cache.size).toBe(1);
    await store.deleteSmtp('relay');
    expect(cache.size).toBe(0);
    cache.close();
    expect(() => cache.get('relay')).toThrow(/closed/);
  });

  test('a configuration another store writes is read by this one: within a second across processes on PostgreSQL', async () => {
    const other = await o.another();
    const heard = new Promise<string>((resolve) => store.onChange((kind, name) => kind === 'smtp' && resolve(name)));
    const started = Date.now();
    await other.createSmtp({ name: 'elsewhere', host: 'a.example.org', sender: 'pb@example.org' });
    expect(await heard).toBe('elsewhere');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(store.getSmtp('elsewhere').host).toBe('a.example.org');
    const changed = new Promise<void>((resolve) => store.onChange((_kind, name) => name === 'elsewhere' && resolve()));
    await other.updateSmtp('elsewhere', { host: 'b.example.org' });
    await changed;
    expect(store.getSmtp('elsewhere')).toMatchObject({ host: 'b.example.org', revision: 2 });
  });

  test('with a key, the stored row holds the configuration sealed: no password in plaintext; rows written before are sealed on open', async () => {
    await store.createSmtp({ name: 'plain', host: 'a.example.org', sender: 'pb@example.org', password: 'written-before-the-key' });
    expect(await o.rawData('notify_smtp_config', 'plain')).toContain('written-before-the-key');
    const sealed = await o.another({ secrets: box });
    await sealed.createSms({ name: 'gw', url: 'https://user:gw-secret-9@sms.example.org/send' });
    await sealed.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org', password: 'smtp-secret-9' });
    for (const [table, name, secret] of [['notify_smtp_config', 'relay', 'smtp-secret-9'], ['notify_sms_gateway', 'gw', 'gw-secret-9'], ['notify_smtp_config', 'plain', 'written-before-the-key']]) {
      const raw = await o.rawData(table, name);
      expect(raw).toMatch(/^enc:v1:/);
      expect(raw).not.toContain(secret);
    }
    expect(sealed.getSmtp('relay').password).toBe('smtp-secret-9');
    expect(sealed.getSmtp('plain').password).toBe('written-before-the-key');
  });
});
