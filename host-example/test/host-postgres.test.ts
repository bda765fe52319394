/**
 * The host's own data on PostgreSQL (`PLUGBOARD_DATABASE_URL` / `databaseUrl`): domains and
 * accounts made through the API survive a restart, and two hosts on one database see each
 * other's. Each host keeps its own SQLite file for what is SQLite-only still (rules, outbox,
 * notify, webhooks, extension state and health): this test covers the host's own tables.
 */
import { join } from 'node:path';
import { pgDatabase, type TestDatabase } from '../../test/support/pg-database';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('the host on PostgreSQL', () => {
  const tmp = tempDir();
  let pg: TestDatabase;
  const running: Running[] = [];
  const host = async (name: string): Promise<Running> => {
    const run = await start(join(tmp.dir, `${name}.sqlite`), [], { databaseUrl: pg.url(name) });
    running.push(run);
    return run;
  };

  beforeAll(async () => {
    pg = await pgDatabase('host-pg');
  });
  afterAll(async () => {
    for (const run of running) await run.stop().catch(() => undefined);
    await pg.drop();
    tmp.cleanup();
  });

  it('keeps the domains and accounts created through the API across a restart', async () => {
    const first = await host('restart');
    let token = await first.login('admin', ADMIN_PASSWORD);
    expect((await first.req('POST', '/api/domains', { token, body: { name: 'pg.test', quota: 500 } })).status).toBe(201);
    expect((await first.req('POST', '/api/accounts', { token, body: { username: 'ann@pg.test', password: 'password-ann-1', firstName: 'Ann' } })).status).toBe(201);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const again = await host('restart');
    token = await again.login('admin', ADMIN_PASSWORD);
    expect((await again.req('GET', '/api/domains', { token })).body.entries.map((d: { name: string; quota: number }) => [d.name, d.quota])).toEqual([['pg.test', 500]]);
    const accounts = (await again.req('GET', '/api/accounts?q=ANN', { token })).body.accounts as { account: { username: string }; mailbox: { fullAddress: string } | null }[];
    expect(accounts.map((a) => [a.account.username, a.mailbox?.fullAddress])).toEqual([['ann@pg.test', 'ann@pg.test']]);
    // The account logs in (its session lives in PostgreSQL) and names ignore case, as on SQLite.
    expect(await again.login('ANN@pg.test', 'password-ann-1')).toEqual(expect.any(String));
    expect((await again.req('POST', '/api/domains', { token, body: { name: 'PG.test' } })).status).toBe(409);
    const { rows } = await pg.admin.query<{ name: string }>("SELECT name FROM plugboard_migrations WHERE scope = 'host'");
    expect(rows.map((r) => r.name)).toEqual(['0001_host_tables']);
  });

  it('lets two hosts on one database see each other’s domains and accounts', async () => {
    const a = await host('host-a');
    const b = await host('host-b');
    const ta = await a.login('admin', ADMIN_PASSWORD);
    const tb = await b.login('admin', ADMIN_PASSWORD);
    expect((await a.req('POST', '/api/domains', { token: ta, body: { name: 'from-a.test' } })).status).toBe(201);
    expect((await b.req('POST', '/api/domains', { token: tb, body: { name: 'from-b.test' } })).status).toBe(201);
    const names = async (run: Running, token: string): Promise<string[]> => (await run.req('GET', '/api/domains?q=from', { token })).body.entries.map((d: { name: string }) => d.name);
    expect(await names(a, ta)).toEqual(['from-a.test', 'from-b.test']);
    expect(await names(b, tb)).toEqual(['from-a.test', 'from-b.test']);
    // A name taken through one host is refused by the other.
    expect((await b.req('POST', '/api/domains', { token: tb, body: { name: 'from-a.test' } })).status).toBe(409);
    expect((await b.req('POST', '/api/accounts', { token: tb, body: { username: 'bo@from-a.test', password: 'password-bo-1' } })).status).toBe(201);
    expect(await a.login('bo@from-a.test', 'password-bo-1')).toEqual(expect.any(String));
  });

  it('imports a CSV in one transaction: rows see the rows before them, a bad row leaves nothing, continueOnError keeps the good ones', async () => {
    const run = await host('import');
    const token = await run.login('admin', ADMIN_PASSWORD);
    // The account's domain exists only inside the import's transaction until it commits.
    const good = await run.req('POST', '/api/import', { token, body: { csv: 'domain; good.test; 0; true\naccount; ann@good.test; password-ann-1; Ann; A; true; SimpleUsers; ann@good.test; 10\n' } });
    expect(good).toMatchObject({ status: 200, body: { imported: 2, skipped: 0 } });
    expect((await run.host.repo.mailboxOfUser((await run.host.repo.userByName('ann@good.test'))?.id ?? 0))?.fullAddress).toBe('ann@good.test');
    const csv = 'domain; new.test; 0; true\naccount; a@new.test\nalias; b@nowhere.test; true; x@good.test\n';
    const refused = await run.req('POST', '/api/import', { token, body: { csv } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/Nothing was imported: 2 row\(s\) are bad/);
    expect(await run.host.repo.domainByName('new.test')).toBeUndefined();
    const partial = await run.req('POST', '/api/import', { token, body: { csv, options: { continueOnError: true } } });
    expect(partial.body).toEqual({ imported: 1, skipped: 0, rejected: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 3 })] });
    expect(await run.host.repo.domainByName('new.test')).toEqual(expect.objectContaining({ name: 'new.test' }));
  });
});
