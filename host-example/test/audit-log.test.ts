import { join } from 'node:path';
import { Database } from '../src/db';
import { AuditLogExtension, VOID_HOOKS, type AuditEntry } from '../src/extensions/audit-log';
import { HOST_MIGRATIONS } from '../src/migrations';
import { finishLegacy } from '../src/store/legacy-migrations';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

/** A host file as the old code left it: the old runner's host and audit-log migrations, then two entries written with plain SQL. */
async function oldFile(file: string): Promise<void> {
  const db = await Database.open(file, { checkpoints: 'sqlite', url: '' });
  finishLegacy(db.sql, 'host', HOST_MIGRATIONS);
  finishLegacy(db.sql, 'audit-log', [
    {
      version: 1,
      name: 'audit_log table',
      up: 'CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, hook TEXT NOT NULL, args TEXT NOT NULL); CREATE INDEX audit_log_hook ON audit_log (hook, id);',
    },
  ]);
  const write = db.sql.prepare('INSERT INTO audit_log (at, hook, args) VALUES (?, ?, ?)');
  write.run('2026-01-01T00:00:00.000Z', 'DomainCreated', JSON.stringify([{ username: 'admin' }, { name: 'old.test' }]));
  write.run('2026-01-01T00:00:01.000Z', 'DomainDeleted', JSON.stringify([{ name: 'old.test' }]));
  await db.close();
}

describe('audit-log extension', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('records every void hook and serves the log through the API', async () => {
    expect(VOID_HOOKS).toHaveLength(30);
    const db = join(tmp.dir, 'a.sqlite');
    let run = await start(db, [AuditLogExtension]);
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      const d = (await run.req('POST', '/api/domains', { ...t, body: { name: 'audit.test' } })).body;
      await run.req('POST', '/api/accounts', { ...t, body: { username: 'eve@audit.test', password: 'password-e' } });
      await run.req('DELETE', `/api/domains/${d.id}`, t);

      const entries = (await run.req('GET', '/api/ext/audit-log/entries', t)).body.entries as { hook: string; args: unknown[] }[];
      expect(entries.map((e) => e.hook).reverse()).toEqual([
        'ExtEnabled', 'UserLogin', 'DomainCreated', 'AccountCreated', 'MailboxCreated', 'DomainDeleted', 'AccountDeleted', 'MailboxDeleted',
      ]);
      const login = entries.find((e) => e.hook === 'UserLogin');
      expect(login?.args).toEqual([expect.objectContaining({ ip: '127.0.0.1' }), 'admin', '[redacted]']);
      const created = (await run.req('GET', '/api/ext/audit-log/entries?hook=DomainCreated', t)).body.entries;
      expect(created).toEqual([expect.objectContaining({ hook: 'DomainCreated', args: [expect.objectContaining({ username: 'admin' }), expect.objectContaining({ name: 'audit.test' })] })]);

      // Only SuperAdmins read it.
      await run.req('POST', '/api/domains', { ...t, body: { name: 'audit2.test' } });
      await run.req('POST', '/api/accounts', { ...t, body: { username: 'sam@audit2.test', password: 'password-s' } });
      const s = { token: await run.login('sam@audit2.test', 'password-s') };
      expect((await run.req('GET', '/api/ext/audit-log/entries', s)).status).toBe(403);

      // Disabled: nothing recorded, route answers 404; the log survives a restart.
      await run.req('POST', '/api/extensions/audit-log/disable', t);
      await run.req('POST', '/api/domains', { ...t, body: { name: 'unseen.test' } });
      expect((await run.req('GET', '/api/ext/audit-log/entries', t)).status).toBe(404);
      await run.stop();
      run = await start(db, [AuditLogExtension]);
      const t2 = { token: await run.login('admin', ADMIN_PASSWORD) };
      await run.req('POST', '/api/extensions/audit-log/enable', t2);
      const after = (await run.req('GET', '/api/ext/audit-log/entries?limit=1000', t2)).body.entries as { hook: string; args: { name?: string }[] }[];
      expect(after[0].hook).toBe('ExtEnabled');
      expect(after.some((e) => e.hook === 'DomainCreated' && e.args[1]?.name === 'unseen.test')).toBe(false);
      expect(after.filter((e) => e.hook === 'DomainCreated')).toHaveLength(2);
    } finally {
      await run.stop();
    }
  });

  it('adopts the audit_log table of a file the old runner migrated, keeping its entries under the new ones', async () => {
    const file = join(tmp.dir, 'old.sqlite');
    await oldFile(file);
    const run = await start(file, [AuditLogExtension], { databaseUrl: '' });
    try {
      expect(run.host.installed).toEqual([expect.objectContaining({ name: 'audit-log', state: 'enabled' })]);
      const token = await run.login('admin', ADMIN_PASSWORD);
      const entries = (await run.req('GET', '/api/ext/audit-log/entries', { token })).body.entries as AuditEntry[];
      expect(entries.map((e) => [e.id, e.hook])).toEqual([
        [4, 'UserLogin'],
        [3, 'ExtEnabled'],
        [2, 'DomainDeleted'],
        [1, 'DomainCreated'],
      ]);
      expect(entries[3]).toEqual({ id: 1, at: '2026-01-01T00:00:00.000Z', hook: 'DomainCreated', args: [{ username: 'admin' }, { name: 'old.test' }] });
      const applied = run.host.db.sql.prepare("SELECT name FROM plugboard_migrations WHERE scope = 'audit-log'").all();
      expect(applied).toEqual([{ name: '0001_audit_log' }]);
    } finally {
      await run.stop();
    }
  });
});
