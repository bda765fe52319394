/**
 * Search and paging of `GET /api/domains` and `GET /api/accounts` (issue 18 item 3, issue 17 item 6):
 * pages cut in SQL with an opaque cursor, a search narrowing them, and unknown or malformed
 * parameters refused naming them.
 */
import { join } from 'node:path';
import { RelayDomainsExtension } from '../src/extensions/relay-domains';
import * as mailboxes from '../src/store/mailbox-works';
import * as users from '../src/store/user-works';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

interface AccountsPage {
  accounts: { account: { username: string } }[];
  nextCursor?: string;
}

describe('paged listings of domains and accounts', () => {
  const tmp = tempDir();
  let run: Running;
  let t: { token: string };

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'paging.sqlite'), [RelayDomainsExtension]);
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
    expect((await run.req('POST', '/api/domains', { ...t, body: { name: 'page.test' } })).status).toBe(201);
    // 120 accounts straight into the database: hashing 120 passwords through the API would only make the test slow.
    const domain = await run.host.repo.domainByName('page.test');
    if (domain === undefined) throw new Error('page.test was not created');
    const k = run.host.repo.k;
    await run.host.repo.transact(
      (function* () {
        for (let i = 0; i < 120; i++) {
          const user = yield* users.insert(k, { username: `user${String(i).padStart(3, '0')}@page.test`, passwordHash: 'scrypt$x', role: 'SimpleUsers', firstName: i === 7 ? 'Zelda' : '', ownerId: null });
          yield* mailboxes.insert(k, { userId: user.id, address: user.username.split('@')[0], domainId: domain.id, quota: 0 });
        }
      })(),
    );
  });
  afterAll(async () => {
    await run?.stop();
    tmp.cleanup();
  });

  async function accountsPage(query: string): Promise<AccountsPage> {
    const r = await run.req('GET', `/api/accounts${query}`, t);
    expect(r.status).toBe(200);
    return r.body as AccountsPage;
  }

  test('120 accounts come in 3 pages of 50, 50 and 20, each account once, in creation order', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await accountsPage(`?q=page.test${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      sizes.push(page.accounts.length);
      seen.push(...page.accounts.map((a) => a.account.username));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual([...seen].sort());
  });

  test('a search narrows the accounts by username, e-mail or name, ignoring case', async () => {
    expect((await accountsPage('?q=USER11')).accounts.map((a) => a.account.username)).toEqual([...Array(10).keys()].map((i) => `user11${i}@page.test`));
    expect((await accountsPage('?q=zEL')).accounts.map((a) => a.account.username)).toEqual(['user007@page.test']);
    expect((await accountsPage('?q=%25')).accounts).toEqual([]);
  });

  test('the page size is chosen with limit, 1 to 200', async () => {
    const page = await accountsPage('?limit=3');
    expect(page.accounts).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
    const r = await run.req('GET', '/api/accounts?limit=201', t);
    expect([r.status, r.body.field]).toEqual([400, 'limit']);
    expect((await run.req('GET', '/api/accounts?limit=ten', t)).body.field).toBe('limit');
  });

  test('a cursor not given by the listing, or an unknown parameter, is a 400 naming it', async () => {
    const bad = await run.req('GET', '/api/accounts?cursor=not-a-cursor', t);
    expect([bad.status, bad.body.error, bad.body.field]).toEqual([400, 'PB_HOST_INVALID', 'cursor']);
    expect(bad.body.message).toMatch(/nextCursor/);
    const unknown = await run.req('GET', '/api/accounts?page=2', t);
    expect([unknown.status, unknown.body.field]).toEqual([400, 'page']);
    const domains = await run.req('GET', '/api/domains?cursor=zzz', t);
    expect([domains.status, domains.body.field]).toEqual([400, 'cursor']);
    expect((await run.req('GET', '/api/domains?sort=name', t)).body.field).toBe('sort');
  });

  test("domains are paged in name order with extensions' entries merged in, and searched", async () => {
    for (const name of ['alpha.test', 'beta.test', 'delta.test']) expect((await run.req('POST', '/api/domains', { ...t, body: { name } })).status).toBe(201);
    expect((await run.req('POST', '/api/relaydomains', { ...t, body: { name: 'charlie.test', targetHost: 'mx.c.test' } })).status).toBe(201);
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await run.req('GET', `/api/domains?limit=2${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, t);
      expect(r.body.entries.length).toBeLessThanOrEqual(2);
      expect(r.body.filters).toEqual(['srvfilter']);
      names.push(...r.body.entries.map((e: { type: string; name: string }) => `${e.type}:${e.name}`));
      cursor = r.body.nextCursor;
    } while (cursor !== undefined);
    expect(names).toEqual(['domain:alpha.test', 'domain:beta.test', 'relaydomain:charlie.test', 'domain:delta.test', 'domain:page.test']);
    expect((await run.req('GET', '/api/domains?q=ETA', t)).body.entries.map((e: { name: string }) => e.name)).toEqual(['beta.test']);
    expect((await run.req('GET', '/api/domains?q=a.test', t)).body.nextCursor).toBeUndefined();
  });
});
