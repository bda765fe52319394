/**
 * Extension health on PostgreSQL (issue 19): every host on one database writes its figures to the
 * shared `extension_health` table, so each host's API shows the calls and errors of all of them.
 */
import { extension, observe, type ExtensionInfo } from '@plugboard/core';
import { hostHooks } from '../src/hooks';
import type { User } from '../src/model';
import { ADMIN_PASSWORD, type Running } from './helpers';
import { pgHosts } from './pg-hosts';

@extension({ name: 'picky', version: '1.0.0', description: 'Refuses accounts whose name starts with "bad".' })
class Picky {
  @observe(hostHooks.AccountCreated)
  async created(account: User): Promise<void> {
    if (account.username.startsWith('bad')) throw new Error(`cannot sync ${account.username}`);
  }
}

describe('extension health on PostgreSQL', () => {
  jest.setTimeout(60_000);
  const { pg, host: startHost } = pgHosts('health-pg');
  const host = (name: string): Promise<Running> => startHost(name, [Picky], { health: { breaker: false } });
  const picky = async (run: Running, token: string) =>
    ((await run.req('GET', '/api/extensions', { token })).body.extensions as (ExtensionInfo & { health: Record<string, unknown> })[]).find((e) => e.name === 'picky')?.health;

  it('shows the calls and errors of every host, summed, through each host', async () => {
    const a = await host('health-a');
    const b = await host('health-b');
    const ta = await a.login('admin', ADMIN_PASSWORD);
    const tb = await b.login('admin', ADMIN_PASSWORD);
    expect((await a.req('POST', '/api/domains', { token: ta, body: { name: 'health.test' } })).status).toBe(201);
    const account = async (run: Running, token: string, username: string) =>
      expect((await run.req('POST', '/api/accounts', { token, body: { username: `${username}@health.test`, password: `password-${username}-1` } })).status).toBe(201);
    await account(a, ta, 'good1');
    await account(a, ta, 'bad1');
    await account(b, tb, 'bad2');

    // Each read writes its own host's figures first; the other host's are written by its close or flush.
    await b.host.health.flush();
    const summed = { calls: 3, errors: 2, timeouts: 0, invalidResults: 0 };
    expect(await picky(a, ta)).toMatchObject({ ...summed, lastError: { hook: 'AccountCreated', code: 'PB_LISTENER_FAILED' } });
    expect(await picky(b, tb)).toMatchObject(summed);
    expect(String(((await picky(a, ta))?.lastError as { message: string }).message)).toContain('cannot sync bad2');

    // Another write adds only what was counted since: nothing twice.
    await a.host.health.flush();
    await a.host.health.flush();
    expect((await b.host.health.figures()).get('picky')).toMatchObject(summed);
    const { rows } = await pg().admin.query<{ calls: number }>("SELECT calls FROM extension_health WHERE name = 'picky'");
    expect(rows).toEqual([{ calls: 3 }]);
    for (const run of [a, b]) expect(run.host.db.sql.prepare("SELECT name FROM sqlite_master WHERE name = 'extension_health'").get()).toBeUndefined();
  });
});
