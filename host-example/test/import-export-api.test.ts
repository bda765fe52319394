import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('CSV import and export over the API', () => {
  const tmp = tempDir();
  let api: Running;
  let token: string;
  beforeAll(async () => {
    api = await start(join(tmp.dir, 'api.sqlite'), []);
    token = await api.login('admin', ADMIN_PASSWORD);
    await api.req('POST', '/api/domains', { token, body: { name: 'api.test' } });
    await api.req('POST', '/api/accounts', { token, body: { username: 'da@api.test', password: 'password-da', role: 'DomainAdmins' } });
  });
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });

  it('exports accounts with an empty password column unless ?passwords=include, which only SuperAdmins may ask', async () => {
    const plain = await api.req('GET', '/api/export/accounts', { token });
    expect(plain.body).toContain('account;da@api.test;;');
    expect(plain.body).not.toContain('scrypt$');
    expect((await api.req('GET', '/api/export/accounts?passwords=include', { token })).body).toContain('account;da@api.test;scrypt$');
    const da = await api.login('da@api.test', 'password-da');
    expect(await api.req('GET', '/api/export/accounts?passwords=include', { token: da })).toMatchObject({ status: 403, body: { error: 'PB_HOST_FORBIDDEN' } });
    expect((await api.req('GET', '/api/export/accounts?passwords=yes', { token })).status).toBe(400);
  });

  it('imports nothing when rows are bad, listing each; with continueOnError imports the rest and lists the rejected rows', async () => {
    const csv = 'domain; new.test; 0; true\naccount; a@new.test\nalias; b@nowhere.test; true; x@api.test\n';
    const refused = await api.req('POST', '/api/import', { token, body: { csv } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/Nothing was imported: 2 row\(s\) are bad[\s\S]*csv line 2: expected 9 columns, got 2[\s\S]*csv line 3: /);
    expect(JSON.stringify((await api.req('GET', '/api/domains', { token })).body)).not.toContain('new.test');
    const partial = await api.req('POST', '/api/import', { token, body: { csv, options: { continueOnError: true } } });
    expect(partial.body).toEqual({ imported: 1, skipped: 0, rejected: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 3 })] });
  });
});
