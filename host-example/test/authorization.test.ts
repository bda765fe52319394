/**
 * One authorization rule for every path: an administrator touches an object only through the
 * domains she owns now, never another administrator, and cascades (domain delete and rename)
 * are refused when they would reach accounts the actor may not manage.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('authorization', () => {
  const tmp = tempDir();
  let run: Running;
  let root: { token: string };
  const ids: Record<string, number> = {};

  const as = (token: string) => ({
    get: (path: string) => run.req('GET', path, { token }),
    post: (path: string, body: unknown) => run.req('POST', path, { token, body }),
    patch: (path: string, body: unknown) => run.req('PATCH', path, { token, body }),
    put: (path: string, body: unknown) => run.req('PUT', path, { token, body }),
    del: (path: string) => run.req('DELETE', path, { token }),
  });

  async function created(res: Promise<{ status: number; body: { id: number } }>, key: string): Promise<void> {
    const r = await res;
    expect(r.status).toBe(201);
    ids[key] = r.body.id;
  }

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'authz.sqlite'), []);
    root = { token: await run.login('admin', ADMIN_PASSWORD) };
    const su = as(root.token);
    for (const d of ['d1.test', 'd3.test', 'd4.test', 'd5.test']) await created(su.post('/api/domains', { name: d }), d);
    await created(su.post('/api/accounts', { username: 'alice', password: 'alice-password', role: 'DomainAdmins' }), 'alice');
    await created(su.post('/api/accounts', { username: 'bob', password: 'bob-password-1', role: 'DomainAdmins' }), 'bob');
    for (const d of ['d1.test', 'd4.test', 'd5.test']) expect((await su.put(`/api/domains/${ids[d]}/owner`, { owner: 'alice' })).status).toBe(200);
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('a previous owner loses every account of a domain given to someone else (item 1)', async () => {
    const alice = as(await run.login('alice', 'alice-password'));
    await created(alice.post('/api/accounts', { username: 'emp@d4.test', password: 'emp-password-1' }), 'emp');
    expect((await alice.get(`/api/accounts/${ids.emp}`)).status).toBe(200);
    expect((await as(root.token).put(`/api/domains/${ids['d4.test']}/owner`, { owner: 'bob' })).status).toBe(200);

    expect((await alice.get(`/api/accounts/${ids.emp}`)).status).toBe(404);
    expect((await alice.patch(`/api/accounts/${ids.emp}`, { firstName: 'Owned' })).status).toBe(404);
    expect((await alice.post(`/api/accounts/${ids.emp}/password`, { password: 'taken-over-1' })).status).toBe(404);
    expect((await alice.del(`/api/accounts/${ids.emp}`)).status).toBe(404);
    const listed = (await alice.get('/api/accounts')).body.accounts.map((a: { account: { username: string } }) => a.account.username);
    expect(listed).not.toContain('emp@d4.test');
    // The new owner has it.
    const bob = as(await run.login('bob', 'bob-password-1'));
    expect((await bob.patch(`/api/accounts/${ids.emp}`, { firstName: 'Kept' })).status).toBe(200);
  });

  it('deleting her own domain is refused when it would delete other administrators, and hands her nothing (item 2)', async () => {
    const su = as(root.token);
    await created(su.post('/api/accounts', { username: 'root2@d1.test', password: 'root2-password', role: 'SuperAdmins' }), 'root2');
    await created(su.post('/api/accounts', { username: 'helper@d1.test', password: 'helper-password', role: 'DomainAdmins' }), 'helper');
    expect((await su.put(`/api/domains/${ids['d3.test']}/owner`, { owner: 'helper@d1.test' })).status).toBe(200);

    const alice = as(await run.login('alice', 'alice-password'));
    const res = await alice.del(`/api/domains/${ids['d1.test']}`);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/root2@d1\.test/);
    expect(res.body.message).toMatch(/helper@d1\.test/);
    expect(await run.host.repo.userByName('root2@d1.test')).toBeDefined();
    expect(await run.host.repo.userByName('helper@d1.test')).toBeDefined();
    expect(await run.host.repo.domainById(ids['d1.test'])).toBeDefined();
    expect((await run.host.repo.domainById(ids['d3.test']))?.ownerId).toBe(ids.helper);
  });

  it('renaming her own domain is refused when it would rename other administrators\' logins (item 3)', async () => {
    const alice = as(await run.login('alice', 'alice-password'));
    const res = await alice.patch(`/api/domains/${ids['d1.test']}`, { name: 'renamed.test' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/helper@d1\.test/);
    expect(await run.host.repo.userByName('helper@d1.test')).toBeDefined();
    expect((await run.host.repo.domainById(ids['d1.test']))?.name).toBe('d1.test');
  });

  it('a domain holding only accounts she manages is renamed and deleted as before', async () => {
    const alice = as(await run.login('alice', 'alice-password'));
    await created(alice.post('/api/accounts', { username: 'u1@d5.test', password: 'user-password-1' }), 'u1');
    const renamed = await alice.patch(`/api/domains/${ids['d5.test']}`, { name: 'd5b.test' });
    expect(renamed.status).toBe(200);
    expect((await run.host.repo.userById(ids.u1))?.username).toBe('u1@d5b.test');
    expect((await alice.del(`/api/domains/${ids['d5.test']}`)).status).toBe(204);
    expect(await run.host.repo.userById(ids.u1)).toBeUndefined();
  });

  it('deleting an administrator who still owns domains is refused, naming them; her domains never move to the actor', async () => {
    const su = as(root.token);
    const res = await su.del(`/api/accounts/${ids.helper}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/d3\.test/);
    expect((await run.host.repo.domainById(ids['d3.test']))?.ownerId).toBe(ids.helper);
    expect((await su.put(`/api/domains/${ids['d3.test']}/owner`, { owner: 'bob' })).status).toBe(200);
    expect((await su.del(`/api/accounts/${ids.helper}`)).status).toBe(204);
    expect((await run.host.repo.domainById(ids['d3.test']))?.ownerId).toBe(ids.bob);
  });

  it('a DomainAdmin never manages another administrator, even one with a mailbox in her domain', async () => {
    const alice = as(await run.login('alice', 'alice-password'));
    expect((await alice.get(`/api/accounts/${ids.root2}`)).status).toBe(404);
    expect((await alice.post(`/api/accounts/${ids.root2}/password`, { password: 'taken-over-1' })).status).toBe(404);
  });
});

describe('control characters in saved names', () => {
  const tmp = tempDir();
  let run: Running;
  let token: string;
  beforeAll(async () => {
    run = await start(join(tmp.dir, 'crlf.sqlite'), []);
    token = await run.login('admin', ADMIN_PASSWORD);
    expect((await run.req('POST', '/api/domains', { token, body: { name: 'crlf.test' } })).status).toBe(201);
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it.each([
    ['username', { username: 'evil\r\nBcc: x@crlf.test', password: 'password-123' }],
    ['firstName', { username: 'a@crlf.test', password: 'password-123', firstName: 'Ann\r\nX-Injected: 1' }],
    ['lastName', { username: 'b@crlf.test', password: 'password-123', lastName: 'Lee\n' }],
    ['email', { username: 'c@crlf.test', password: 'password-123', email: 'c@crlf.test\r\nBcc: victim@example.org' }],
  ])('refuses CR/LF in %s when an account is created', async (field, body) => {
    const res = await run.req('POST', '/api/accounts', { token, body });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
  });

  it('refuses CR/LF in a changed name, and in a mailbox alias', async () => {
    const created = await run.req('POST', '/api/accounts', { token, body: { username: 'd@crlf.test', password: 'password-123' } });
    expect(created.status).toBe(201);
    const res = await run.req('PATCH', `/api/accounts/${created.body.id}`, { token, body: { firstName: 'D\r\nX: y' } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('firstName');
    const alias = await run.req('POST', '/api/mailbox-aliases', { token, body: { address: 'al@crlf.test', recipients: ['d@crlf.test\r\nBcc: x@y.z'] } });
    expect(alias.status).toBe(400);
  });
});
