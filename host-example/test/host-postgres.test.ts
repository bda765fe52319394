/**
 * The host on PostgreSQL (`PLUGBOARD_DATABASE_URL` / `databaseUrl`): domains and accounts made
 * through the API survive a restart, and two hosts on one database see each other's data, rules
 * and configurations. (Three real processes with faults: test/many-hosts-faults.test.ts.)
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, type Running } from './helpers';
import { pgHosts } from './pg-hosts';
import { startSmtp } from './plugin-helpers';

describe('the host on PostgreSQL', () => {
  // Every host reads the secrets the others sealed: one key for all (pgHosts shares it).
  const { pg, dir, host, stop } = pgHosts('host-pg');

  it('keeps the domains and accounts created through the API across a restart', async () => {
    const first = await host('restart');
    let token = await first.login('admin', ADMIN_PASSWORD);
    expect((await first.req('POST', '/api/domains', { token, body: { name: 'pg.test', quota: 500 } })).status).toBe(201);
    expect((await first.req('POST', '/api/accounts', { token, body: { username: 'ann@pg.test', password: 'password-ann-1', firstName: 'Ann' } })).status).toBe(201);
    await stop(first);

    const again = await host('restart');
    token = await again.login('admin', ADMIN_PASSWORD);
    expect((await again.req('GET', '/api/domains', { token })).body.entries.map((d: { name: string; quota: number }) => [d.name, d.quota])).toEqual([['pg.test', 500]]);
    const accounts = (await again.req('GET', '/api/accounts?q=ANN', { token })).body.accounts as { account: { username: string }; mailbox: { fullAddress: string } | null }[];
    expect(accounts.map((a) => [a.account.username, a.mailbox?.fullAddress])).toEqual([['ann@pg.test', 'ann@pg.test']]);
    // The account logs in (its session lives in PostgreSQL) and names ignore case, as on SQLite.
    expect(await again.login('ANN@pg.test', 'password-ann-1')).toEqual(expect.any(String));
    expect((await again.req('POST', '/api/domains', { token, body: { name: 'PG.test' } })).status).toBe(409);
    const { rows } = await pg().admin.query<{ name: string }>("SELECT name FROM plugboard_migrations WHERE scope = 'host'");
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

  it('shares rules, configurations (their sealed passwords too) and the outbox: a rule saved on one host mails through the other', async () => {
    const smtp = await startSmtp({ auth: true });
    try {
      const a = await host('shared-a');
      const b = await host('shared-b');
      const ta = await a.login('admin', ADMIN_PASSWORD);
      const tb = await b.login('admin', ADMIN_PASSWORD);
      const config = { name: 'relay', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.test', security: 'none', username: 'relay-user', password: 'relay-secret-1' };
      expect((await a.req('POST', '/api/smtp', { token: ta, body: config })).status).toBe(201);
      const rule = { name: 'domain mail', events: ['DomainCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'relay', To: 'email', 'To email': 'ops@example.test', subject: 'domain {domain.name}', body: 'created' } };
      expect((await a.req('POST', '/api/rules', { token: ta, body: rule })).status).toBe(201);
      // Host b follows within a second (LISTEN/NOTIFY); its dispatch then uses the rule and host a's configuration.
      await waitForAsync(() => Promise.resolve(b.host.rules.engine.match('DomainCreated', 'post').length === 1), 1000, "host b's engine to load the rule");
      expect((await b.req('POST', '/api/domains', { token: tb, body: { name: 'mailed.test' } })).status).toBe(201);
      await smtp.waitFor(1);
      expect(smtp.received[0]?.subject).toBe('domain mailed.test');
      expect(smtp.logins[0]).toBe('relay-user');
      // The message is in the shared outbox, visible from either host once its delivery is recorded.
      const delivered = async (): Promise<boolean> => ((await a.req('GET', '/api/outbox?state=delivered', { token: ta })).body.messages as { channel: string }[]).some((m) => m.channel === 'smtp');
      await waitForAsync(delivered, 5000, 'the delivery recorded in the shared outbox');
    } finally {
      await smtp.close();
    }
  });

  it('refuses to start on PostgreSQL without a shared secret key, saying which variable to set', async () => {
    const saved = { key: process.env.PLUGBOARD_SECRET_KEY, file: process.env.PLUGBOARD_SECRET_KEY_FILE };
    delete process.env.PLUGBOARD_SECRET_KEY;
    delete process.env.PLUGBOARD_SECRET_KEY_FILE;
    try {
      await expect(start(join(dir, 'nokey.sqlite'), [], { databaseUrl: pg().url('nokey') })).rejects.toMatchObject({ code: 'PB_SECRET_KEY_MISSING', message: expect.stringContaining('PLUGBOARD_SECRET_KEY') as unknown as string });
    } finally {
      if (saved.key !== undefined) process.env.PLUGBOARD_SECRET_KEY = saved.key;
      if (saved.file !== undefined) process.env.PLUGBOARD_SECRET_KEY_FILE = saved.file;
    }
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

/** Polls an async check until it holds (a reload in another process signals nothing here). */
async function waitForAsync(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
