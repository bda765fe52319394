import { join } from 'node:path';
import { PasswordPolicyExtension } from '../src/extensions/password-policy';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

describe('password-policy extension', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('cancels password changes through PasswordChange and says why', async () => {
    const run = await start(join(tmp.dir, 'p.sqlite'), [PasswordPolicyExtension], {
      externalDirectory: [{ username: 'ldap@corp.test', password: 'directory-pass' }],
    });
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      await run.req('POST', '/api/domains', { ...t, body: { name: 'corp.test' } });

      // Accounts from the external directory: the directory owns their password.
      const ext = { token: await run.login('ldap@corp.test', 'directory-pass') };
      const me = (await run.req('GET', '/api/me', ext)).body;
      expect(me.user).toEqual(expect.objectContaining({ external: true }));
      expect(me.mailbox.fullAddress).toBe('ldap@corp.test');
      const refused = await run.req('POST', '/api/me/password', { ...ext, body: { oldPassword: 'directory-pass', newPassword: 'my-new-pass' } });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(expect.objectContaining({ extension: 'password-policy', reason: 'the password of "ldap@corp.test" is managed by the external directory' }));

      // Minimum age.
      await run.req('PUT', '/api/parameters/password_policy', { ...t, body: { min_age_minutes: 60 } });
      const u = (await run.req('POST', '/api/accounts', { ...t, body: { username: 'ann@corp.test', password: 'first-pass' } })).body;
      expect((await run.req('POST', `/api/accounts/${u.id}/password`, { ...t, body: { password: 'second-pass' } })).status).toBe(204);
      const tooSoon = await run.req('POST', `/api/accounts/${u.id}/password`, { ...t, body: { password: 'third-pass' } });
      expect(tooSoon.status).toBe(403);
      expect(tooSoon.body.reason).toMatch(/was changed 0 minute\(s\) ago; the minimum age is 60 minute\(s\)/);
      await run.login('ann@corp.test', 'second-pass');

      await run.req('PUT', '/api/parameters/password_policy', { ...t, body: { min_age_minutes: 0, external_managed: false } });
      expect((await run.req('POST', `/api/accounts/${u.id}/password`, { ...t, body: { password: 'third-pass' } })).status).toBe(204);
      expect((await run.req('POST', '/api/me/password', { ...ext, body: { oldPassword: 'directory-pass', newPassword: 'my-new-pass' } })).status).toBe(204);
    } finally {
      await run.stop();
    }
  });
});
