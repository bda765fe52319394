import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NotifyConfigStore, SmtpTransportCache } from '@plugboard/notify';

let dir: string;
let db: Database.Database;
let store: NotifyConfigStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-notify-store-'));
  db = new Database(join(dir, 'host.db'));
  store = new NotifyConfigStore({ database: db });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('NotifyConfigStore', () => {
  test('stores SMTP configurations in a notify_ table with defaults and masks the password in listings', () => {
    const created = store.createSmtp({ name: 'relay', host: 'smtp.example.org', sender: 'pb@example.org', username: 'u', password: 'pw' });
    expect(created).toMatchObject({ name: 'relay', port: 587, security: 'starttls', password: '***', revision: 1 });
    expect(store.listSmtp()).toEqual([expect.objectContaining({ name: 'relay', password: '***' })]);
    expect(store.getSmtp('relay').password).toBe('pw');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'notify_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['notify_sms_gateway', 'notify_smtp_config']);
    // Survives a reopen of the same file.
    const reopened = new NotifyConfigStore({ database: join(dir, 'host.db') });
    expect(reopened.names('smtp')).toEqual(['relay']);
    reopened.close();
  });

  test('an update sending the masked password back keeps the stored one; a new one replaces it', () => {
    store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org', password: 'pw' });
    const listed = store.listSmtp()[0];
    const updated = store.updateSmtp('relay', { ...listed, host: 'b.example.org' });
    expect(updated.revision).toBe(2);
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', password: 'pw' });
    store.updateSmtp('relay', { password: 'new' });
    expect(store.getSmtp('relay').password).toBe('new');
  });

  test('reads see changes made through another connection, another store on the same connection, and rollbacks', () => {
    store = new NotifyConfigStore({ database: db, externalCheckMs: 0 });
    store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    // Another process: its own connection to the same file.
    const other = new NotifyConfigStore({ database: join(dir, 'host.db') });
    other.updateSmtp('relay', { host: 'b.example.org' });
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', revision: 2 });
    other.deleteSmtp('relay');
    expect(() => store.getSmtp('relay')).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    other.close();
    // Another store sharing this connection.
    store.createSmtp({ name: 'relay', host: 'c.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('c.example.org');
    new NotifyConfigStore({ database: db }).updateSmtp('relay', { host: 'd.example.org' });
    expect(store.getSmtp('relay').host).toBe('d.example.org');
    // A write read back inside a transaction that then rolls back is not kept.
    expect(() =>
      db.transaction(() => {
        store.updateSmtp('relay', { host: 'e.example.org' });
        expect(store.getSmtp('relay').host).toBe('e.example.org');
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(store.getSmtp('relay').host).toBe('d.example.org');
  });

  test('looks for other connections\' changes once per externalCheckMs, or at once after invalidate()', () => {
    // A minute, so the interval cannot run out on a slow machine between the reads below.
    store = new NotifyConfigStore({ database: db, externalCheckMs: 60_000 });
    store.createSmtp({ name: 'relay', host: 'a.example.org', sender: 'pb@example.org' });
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    const other = new NotifyConfigStore({ database: join(dir, 'host.db') });
    other.updateSmtp('relay', { host: 'b.example.org' });
    other.close();
    // Within the interval the cached configuration is served without a query.
    expect(store.getSmtp('relay').host).toBe('a.example.org');
    store.invalidate();
    expect(store.getSmtp('relay')).toMatchObject({ host: 'b.example.org', revision: 2 });
    // Writes through this connection are seen at once whatever the interval.
    new NotifyConfigStore({ database: db }).updateSmtp('relay', { host: 'c.example.org' });
    expect(store.getSmtp('relay').host).toBe('c.example.org');
  });

  test('rejects an externalCheckMs that is not a number ≥ 0', () => {
    expect(() => new NotifyConfigStore({ database: db, externalCheckMs: -1 })).toThrow(
      expect.objectContaining({ code: 'PB_NOTIFY_INVALID_CONFIG', message: expect.stringContaining('externalCheckMs') }),
    );
  });

  test('rejects invalid configurations with a coded error naming each bad field', () => {
    expect(() => store.createSmtp({ name: 'bad name!', host: '', sender: 'not-an-address', port: 70000 })).toThrow(
      expect.objectContaining({
        code: 'PB_NOTIFY_INVALID_CONFIG',
        message: expect.stringMatching(/name: .*host: .*port: .*sender: /s),
      }),
    );
    expect(() => store.createSms({ name: 'gw', url: 'ftp://x', method: 'PUT' as 'GET' })).toThrow(/url: .*method: /);
    expect(() => store.createSms({ name: 'gw', url: 'http://x', success: { bodyRegex: '(' } })).toThrow(/success.bodyRegex: must be a valid regular expression/);
    expect(() => store.createSms({ name: 'gw', url: 'http://x', headers: { 'X-A': 'a\r\nX-B: b' } })).toThrow(/headers.X-A: must not contain CR or LF/);
  });

  test('duplicate names, unknown names and deletion are reported', () => {
    store.createSms({ name: 'gw', url: 'http://127.0.0.1:1/send' });
    expect(() => store.createSms({ name: 'gw', url: 'http://127.0.0.1:1/other' })).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_EXISTS' }));
    expect(() => store.getSms('nope')).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    expect(() => store.updateSmtp('nope', { port: 25 })).toThrow(expect.objectContaining({ code: 'PB_NOTIFY_CONFIG_NOT_FOUND' }));
    expect(store.deleteSms('gw')).toBe(true);
    expect(store.deleteSms('gw')).toBe(false);
    expect(store.names('sms')).toEqual([]);
  });

  test('SMS gateway secrets (key/token/auth parameters, headers, URL password, secretFields) are masked and round-trip', () => {
    store.createSms({
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
    store.updateSms('gw', { ...listed, description: 'edited in the UI' });
    const stored = store.getSms('gw');
    expect(stored.parameters).toEqual({ to: '{phone}', text: '{message}', apikey: 'k2', account: 'acc-9' });
    expect(stored.headers).toEqual({ Authorization: 'Bearer t' });
    expect(stored.url).toBe('https://user:hunter2@sms.example.org/send?api_key=k1&from=pb');
    expect(stored.description).toBe('edited in the UI');
  });

  test('the transport cache reuses one pool per configuration and replaces it when the configuration changes', () => {
    store.createSmtp({ name: 'relay', host: '127.0.0.1', port: 2525, sender: 'pb@example.org', security: 'none' });
    const cache = new SmtpTransportCache(store);
    const first = cache.get('relay').transport;
    expect(cache.get('relay').transport).toBe(first);
    store.updateSmtp('relay', { port: 2526 });
    const second = cache.get('relay').transport;
    expect(second).not.toBe(first);
    expect(cache.size).toBe(1);
    store.deleteSmtp('relay');
    expect(cache.size).toBe(0);
    cache.close();
    expect(() => cache.get('relay')).toThrow(/closed/);
  });
});
