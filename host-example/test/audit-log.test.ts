import { join } from 'node:path';
import { AuditLogExtension, VOID_HOOKS } from '../src/extensions/audit-log';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

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
});
