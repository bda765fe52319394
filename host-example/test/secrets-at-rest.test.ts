/**
 * Stored secrets are encrypted (AES-256-GCM) with a key kept outside the database: the raw rows
 * hold no plaintext, a restart with the key reads them, a missing or wrong key is a clear coded
 * error, rows from before encryption are sealed on open, and the key can be rotated.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NotifyConfigStore } from '@plugboard/notify';
import { buildCli } from '../src/cli';
import { createHost } from '../src/host';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

const SMTP_PW = 'smtp-PLAIN-pw-1';
const GW_PW = 'gw-PLAIN-pw-2';
const HOOK_CRED = 'mailer:hook-PLAIN-3';
const WH_SECRET = 'whsec_' + Buffer.from('webhook-PLAIN-secret-4-0123456789').toString('base64');
const PLAIN = [SMTP_PW, GW_PW, 'hook-PLAIN-3', WH_SECRET];

/** Every text value of the secret-bearing tables, as SQLite stores them. */
function rawRows(dbFile: string): string {
  const sql = new Database(dbFile, { readonly: true });
  try {
    return ['notify_smtp_config', 'notify_sms_gateway', 'notify_email_hooks', 'webhooks_endpoints'].map((t) => JSON.stringify(sql.prepare(`SELECT * FROM ${t}`).all())).join('\n');
  } finally {
    sql.close();
  }
}

describe('secrets at rest', () => {
  const tmp = tempDir();
  const dbFile = join(tmp.dir, 'rest.sqlite');
  const keyFile = join(tmp.dir, 'secret.key');
  afterAll(() => tmp.cleanup());

  const open = () => createHost({ dbFile, extensions: [], logger: 'silent', admin: { password: ADMIN_PASSWORD }, deliver: false });

  it('creates a key file next to the database on first start and stores every declared secret encrypted', async () => {
    const run = await start(dbFile, [], { webhookGuard: { allow: ['127.0.0.1'] } });
    try {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const token = await run.login('admin', ADMIN_PASSWORD);
      const post = async (path: string, body: unknown): Promise<void> => expect((await run.req('POST', path, { token, body })).status).toBe(201);
      await post('/api/smtp', { name: 'relay', host: '127.0.0.1', port: 2525, sender: 'pb@example.org', security: 'none', username: 'pb', password: SMTP_PW });
      await post('/api/sms-gateways', { name: 'gw', url: `http://u:${GW_PW}@127.0.0.1:9/send`, parameters: { to: '{phone}' } });
      await post('/api/email-hooks', { name: 'hook', kind: 'simple', events: ['AccountCreated'], settings: { host: '127.0.0.1', port: 2525, credentials: HOOK_CRED, sender: 'pb@example.org', recipients: 'ops@example.org', requireTls: false } });
      await post('/api/webhooks', { name: 'crm', url: 'http://127.0.0.1:9/hooks', secrets: [WH_SECRET] });
    } finally {
      await run.stop();
    }
    const raw = rawRows(dbFile);
    expect(raw).toContain('enc:v1:');
    expect(PLAIN.filter((p) => raw.includes(p))).toEqual([]);
  });

  it('reads them back after a restart with the key', async () => {
    const host = await open();
    try {
      expect(host.notify.configs.getSmtp('relay').password).toBe(SMTP_PW);
      expect(host.notify.configs.getSms('gw').url).toContain(GW_PW);
      expect(await host.webhooks.store.signingSecrets('crm')).toEqual([WH_SECRET]);
    } finally {
      await host.close();
    }
  });

  it('refuses to start without the key, saying how to give it, and with a wrong key', async () => {
    const saved = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, '');
    await expect(open()).rejects.toMatchObject({ code: 'PB_SECRET_KEY_INVALID' });
    const other = join(tmp.dir, 'other.key');
    await buildCli({ out: () => undefined, env: { LOG_LEVEL: 'silent' } }).parseAsync(['node', 'main', '--db', dbFile, 'secrets', 'key', 'create', '--file', other]);
    process.env.PLUGBOARD_SECRET_KEY_FILE = other;
    try {
      await expect(open()).rejects.toMatchObject({ code: 'PB_SECRET_KEY_MISMATCH' });
    } finally {
      delete process.env.PLUGBOARD_SECRET_KEY_FILE;
    }
    rmSync(keyFile);
    await expect(open()).rejects.toMatchObject({ code: 'PB_SECRET_KEY_MISSING', message: expect.stringContaining('PLUGBOARD_SECRET_KEY') });
    writeFileSync(keyFile, saved, { mode: 0o600 });
  });

  it('rotates the key: every secret re-encrypted, the old key no longer opens them, the new one does', async () => {
    const oldKey = readFileSync(keyFile, 'utf8');
    const lines: string[] = [];
    await buildCli({ out: (l) => lines.push(l), env: { LOG_LEVEL: 'silent' } }).parseAsync(['node', 'main', '--db', dbFile, 'secrets', 'key', 'rotate']);
    expect(lines[0]).toMatch(/rotated .* replaced by/);
    const newKey = readFileSync(keyFile, 'utf8');
    expect(newKey.trim().split('\n')).toHaveLength(1);
    expect(newKey).not.toBe(oldKey);
    const host = await open();
    try {
      expect(host.notify.configs.getSmtp('relay').password).toBe(SMTP_PW);
    } finally {
      await host.close();
    }
    writeFileSync(keyFile, oldKey);
    await expect(open()).rejects.toMatchObject({ code: 'PB_SECRET_KEY_MISMATCH' });
    writeFileSync(keyFile, newKey);
  });

  it('seals plaintext rows written before encryption when the host opens the database', async () => {
    const legacyDb = join(tmp.dir, 'legacy', 'old.sqlite');
    const first = await createHost({ dbFile: legacyDb, extensions: [], logger: 'silent', deliver: false });
    await first.close();
    const sql = new Database(legacyDb);
    const old = await NotifyConfigStore.open({ database: sql });
    await old.createSmtp({ name: 'old', host: '127.0.0.1', sender: 'pb@example.org', password: SMTP_PW });
    await old.close();
    sql.close();
    expect(rawRows(legacyDb)).toContain(SMTP_PW);
    const host = await createHost({ dbFile: legacyDb, extensions: [], logger: 'silent', deliver: false });
    try {
      expect(host.notify.configs.getSmtp('old').password).toBe(SMTP_PW);
    } finally {
      await host.close();
    }
    expect(rawRows(legacyDb)).not.toContain(SMTP_PW);
  });
});
