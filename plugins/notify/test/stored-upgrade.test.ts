import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox, decodeSecretKey } from '@plugboard/core';
import { EmailHookStore, NotifyConfigStore } from '@plugboard/notify';

// The key fixtures/notify-0.1.0.db was sealed with (see fixtures/README.md).
const box = new SecretBox([decodeSecretKey('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', 'fixture key')]);

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-notify-upgrade-'));
  file = join(dir, 'host.db');
  copyFileSync(join(__dirname, 'fixtures', 'notify-0.1.0.db'), file);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a SQLite file written by 0.1.0 opens with its configurations, gateways and hooks intact, and takes writes', async () => {
  const db = new Database(file);
  try {
    const configs = NotifyConfigStore.openSync({ database: db, secrets: box });
    const hooks = await EmailHookStore.open({ database: db, secrets: box });
    expect(configs.getSmtp('relay')).toMatchObject({ host: 'smtp.example.org', port: 2525, password: 'old-smtp-password', description: 'edited once', revision: 2 });
    expect(configs.getSms('gw').url).toBe('https://user:old-gw-password@sms.example.org/send');
    expect(hooks.get('welcome').settings).toMatchObject({ credentials: 'mailer:old-hook-password', recipients: ['ops@example.org'] });
    expect(db.prepare("SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/notify'").pluck().all()).toEqual(['0001_notify_configs']);

    expect(await configs.updateSmtp('relay', { port: 2526 })).toMatchObject({ revision: 3, password: '***' });
    await configs.createSmtp({ name: 'second', host: 'b.example.org', sender: 'pb@example.org' });
    await hooks.update('welcome', { settings: { subject: 'Upgraded' } });
    await configs.close();
    await hooks.close();

    const reopened = NotifyConfigStore.openSync({ database: db, secrets: box });
    expect(reopened.names('smtp')).toEqual(['relay', 'second']);
    expect(reopened.getSmtp('relay')).toMatchObject({ port: 2526, password: 'old-smtp-password' });
    await reopened.close();
  } finally {
    db.close();
  }
});

test('without the key it was sealed with, a 0.1.0 row is reported on read, not lost', async () => {
  const store = NotifyConfigStore.openSync({ database: file });
  try {
    expect(store.names('smtp')).toEqual(['relay']);
    expect(() => store.getSmtp('relay')).toThrow(expect.objectContaining({ code: 'PB_SECRET_KEY_MISSING' }));
  } finally {
    await store.close();
  }
});
