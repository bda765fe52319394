import { extension, observe } from '@plugboard/core';
import { join } from 'node:path';
import { hostHooks } from '../src/hooks';
import { HOST_SCHEMA } from '../src/store/host-schema';
import type { User } from '../src/model';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

@extension({ name: 'counter', version: '1.0.0' })
class Counter {
  readonly created: string[] = [];
  @observe(hostHooks.AccountCreated)
  onCreated(account: User): void {
    this.created.push(account.username);
  }
}

describe('extension state', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'state.sqlite');

  it('skips a disabled extension, runs it again once re-enabled, and keeps data and enabled state across a restart', async () => {
    let run = await start(db, [Counter]);
    expect(run.host.seededAdmin).toEqual({ username: 'admin', password: ADMIN_PASSWORD });
    let t = { token: await run.login('admin', ADMIN_PASSWORD) };
    const counter = (): Counter => run.host.manager.instance<Counter>('counter') as Counter;

    expect((await run.req('POST', '/api/domains', { ...t, body: { name: 'state.test' } })).status).toBe(201);
    await run.req('POST', '/api/accounts', { ...t, body: { username: 'a@state.test', password: 'password-a' } });
    expect(counter().created).toEqual(['a@state.test']);

    const disabled = await run.req('POST', '/api/extensions/counter/disable', t);
    expect(disabled.body).toEqual(expect.objectContaining({ name: 'counter', state: 'disabled', hooks: ['AccountCreated'] }));
    await run.req('POST', '/api/accounts', { ...t, body: { username: 'b@state.test', password: 'password-b' } });
    expect(counter().created).toEqual(['a@state.test']);
    const plan = (await run.req('GET', '/api/hooks', t)).body.hooks.find((h: { hook: string }) => h.hook === 'AccountCreated');
    expect(plan.listeners).toEqual([expect.objectContaining({ extension: 'counter', enabled: false })]);

    expect((await run.req('POST', '/api/extensions/counter/enable', t)).body.state).toBe('enabled');
    await run.req('POST', '/api/accounts', { ...t, body: { username: 'c@state.test', password: 'password-c' } });
    expect(counter().created).toEqual(['a@state.test', 'c@state.test']);

    // Disable, then restart on the same file: still disabled, data still there, no new admin seeded.
    await run.req('POST', '/api/extensions/counter/disable', t);
    await run.stop();
    run = await start(db, [Counter]);
    expect(run.host.seededAdmin).toBeUndefined();
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
    expect((await run.req('GET', '/api/extensions', t)).body.extensions).toEqual([expect.objectContaining({ name: 'counter', state: 'disabled' })]);
    const accounts = (await run.req('GET', '/api/accounts', t)).body.accounts.map((a: { account: User }) => a.account.username);
    expect(accounts).toEqual(['admin', 'a@state.test', 'b@state.test', 'c@state.test']);
    expect((await run.req('GET', '/api/domains', t)).body.entries.map((e: { name: string }) => e.name)).toEqual(['state.test']);
    await run.req('POST', '/api/accounts', { ...t, body: { username: 'd@state.test', password: 'password-d' } });
    expect(counter().created).toEqual([]);

    // Enable, restart: enabled from the start.
    await run.req('POST', '/api/extensions/counter/enable', t);
    await run.stop();
    run = await start(db, [Counter]);
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
    await run.req('POST', '/api/accounts', { ...t, body: { username: 'e@state.test', password: 'password-e' } });
    expect(counter().created).toEqual(['e@state.test']);
    // Every host migration ran: the newest one, whatever it is now.
    const applied = run.host.db.sql.prepare("SELECT name FROM plugboard_migrations WHERE scope = 'host' ORDER BY name").all() as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual(HOST_SCHEMA.map((m) => m.name));
    await run.stop();
  });

  it('answers 404 for an unknown extension and 403 when a non-SuperAdmin tries to toggle one', async () => {
    const run = await start(join(tmp.dir, 'state2.sqlite'), [Counter]);
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      const unknown = await run.req('POST', '/api/extensions/nope/enable', t);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(expect.objectContaining({ error: 'PB_EXT_UNKNOWN', extension: 'nope' }));
      await run.req('POST', '/api/accounts', { ...t, body: { username: 'reseller', password: 'password-r', role: 'Resellers' } });
      const r = { token: await run.login('reseller', 'password-r') };
      expect((await run.req('POST', '/api/extensions/counter/disable', r)).status).toBe(403);
      expect(run.host.manager.find('counter')?.state).toBe('enabled');
    } finally {
      await run.stop();
    }
  });
});
