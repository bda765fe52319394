import { join } from 'node:path';
import { LimitsExtension } from '../src/extensions/limits';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

describe('limits extension', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('refuses domain creation past the per-admin limit via CanCreate, naming itself and the reason', async () => {
    const run = await start(join(tmp.dir, 'l.sqlite'), [LimitsExtension]);
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      expect((await run.req('GET', '/api/limit-templates', t)).body.templates).toEqual([['domains_limit', 'Domains', expect.stringContaining('Maximum')]]);
      const r1 = (await run.req('POST', '/api/accounts', { ...t, body: { username: 'reseller1', password: 'password-r', role: 'Resellers' } })).body;
      await run.req('POST', '/api/accounts', { ...t, body: { username: 'reseller2', password: 'password-r', role: 'Resellers' } });
      expect((await run.req('PUT', `/api/accounts/${r1.id}/limits`, { ...t, body: { domains_limit: 1 } })).body).toEqual({ domains_limit: 1 });
      expect((await run.req('PUT', `/api/accounts/${r1.id}/limits`, { ...t, body: { mailboxes: 1 } })).body.field).toBe('mailboxes');

      const r = { token: await run.login('reseller1', 'password-r') };
      expect((await run.req('POST', '/api/domains', { ...r, body: { name: 'first.test' } })).status).toBe(201);
      const refused = await run.req('POST', '/api/domains', { ...r, body: { name: 'second.test' } });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(expect.objectContaining({ extension: 'limits', hook: 'CanCreate', reason: '"reseller1" already owns 1 of 1 allowed domain(s)' }));

      // The default limit (a GetExtraParameters field of the "limits" application) applies to admins without their own.
      expect((await run.req('GET', '/api/parameters/limits', t)).body.values).toEqual({ default_domains_limit: 0 });
      await run.req('PUT', '/api/parameters/limits', { ...t, body: { default_domains_limit: 1 } });
      const r2 = { token: await run.login('reseller2', 'password-r') };
      expect((await run.req('POST', '/api/domains', { ...r2, body: { name: 'third.test' } })).status).toBe(201);
      expect((await run.req('POST', '/api/domains', { ...r2, body: { name: 'fourth.test' } })).status).toBe(403);
      // SuperAdmins are never limited.
      expect((await run.req('POST', '/api/domains', { ...t, body: { name: 'admin.test' } })).status).toBe(201);

      // Disabled: no veto.
      await run.req('POST', '/api/extensions/limits/disable', t);
      expect((await run.req('POST', '/api/domains', { ...r, body: { name: 'second.test' } })).status).toBe(201);
      expect((await run.req('GET', '/api/limit-templates', t)).body.templates).toEqual([]);
    } finally {
      await run.stop();
    }
  });
});
