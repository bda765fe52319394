import { extension, observe, type ExtensionInfo } from '@plugboard/core';
import { SqlDatabase } from '@plugboard/sql';
import { join } from 'node:path';
import { pgDatabase, type TestDatabase } from '../../test/support/pg-database';
import { hostHooks } from '../src/hooks';
import type { LiveCall } from '../src/live-events';
import type { User } from '../src/model';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

@extension({ name: 'counter', version: '1.0.0' })
class Counter {
  readonly created: string[] = [];
  @observe(hostHooks.AccountCreated)
  onCreated(account: User): void {
    this.created.push(account.username);
  }
}

@extension({ name: 'flaky', version: '1.0.0' })
class Flaky {
  @observe(hostHooks.AccountCreated)
  onCreated(account: User): void {
    // Only these accounts fail, so the other tests' calls never count towards the breaker.
    if (account.username.startsWith('trip-')) throw new Error('the CRM is down');
  }
}

/** Resolves with the info of the next ExtEnabled / ExtDisabled raised by `run`'s manager. */
function next(run: Running, hook: 'ExtEnabled' | 'ExtDisabled'): Promise<ExtensionInfo> {
  return new Promise((resolve) => {
    const off = run.host.bus.on(
      hook,
      (...args) => {
        off();
        resolve(args[0]);
      },
      { extension: 'host' },
    );
  });
}

const counterOf = (run: Running): Counter => run.host.manager.instance<Counter>('counter') as Counter;

async function createAccount(run: Running, token: string, username: string): Promise<void> {
  expect((await run.req('POST', '/api/accounts', { token, body: { username, password: `password-${username}` } })).status).toBe(201);
}

describe('extension state and live events across processes', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  describe('on one PostgreSQL database', () => {
    let pg: TestDatabase;
    const dbs: SqlDatabase[] = [];
    let a: Running;
    let b: Running;
    let tokenA: string;
    let tokenB: string;

    beforeAll(async () => {
      pg = await pgDatabase('ext-live');
      dbs.push(await SqlDatabase.open(pg.url('host-a')), await SqlDatabase.open(pg.url('host-b')));
      const health = { breaker: { failures: 2, windowMs: 60_000 } };
      a = await start(join(tmp.dir, 'a.sqlite'), [Counter, Flaky], { stateDatabase: dbs[0], health });
      b = await start(join(tmp.dir, 'b.sqlite'), [Counter, Flaky], { stateDatabase: dbs[1], health });
      tokenA = await a.login('admin', ADMIN_PASSWORD);
      tokenB = await b.login('admin', ADMIN_PASSWORD);
      for (const [run, token] of [[a, tokenA], [b, tokenB]] as const) {
        expect((await run.req('POST', '/api/domains', { token, body: { name: 'shared.test' } })).status).toBe(201);
      }
    });

    afterAll(async () => {
      await a.stop();
      await b.stop();
      for (const db of dbs) await db.close();
      await pg.drop();
    });

    it('an extension disabled in one host stops running in the other within a second, with its reason, and comes back when enabled there', async () => {
      await createAccount(b, tokenB, 'before@shared.test');
      expect(counterOf(b).created).toEqual(['before@shared.test']);

      const disabledInB = next(b, 'ExtDisabled');
      const startedAt = Date.now();
      await a.host.manager.disable('counter', { reason: '5 failed calls in a row' });
      const written = await pg.admin.query<{ updated_at: string }>('SELECT updated_at FROM extensions WHERE name = $1', ['counter']);
      expect(await disabledInB).toMatchObject({ name: 'counter', state: 'disabled', reason: '5 failed calls in a row' });
      expect(Date.now() - startedAt).toBeLessThan(1000);

      await createAccount(b, tokenB, 'while-off@shared.test');
      expect(counterOf(b).created).toEqual(['before@shared.test']);
      // B applied the state without saving it back (which would have announced it again).
      expect((await pg.admin.query('SELECT updated_at FROM extensions WHERE name = $1', ['counter'])).rows).toEqual(written.rows);

      const enabledInA = next(a, 'ExtEnabled');
      expect((await b.req('POST', '/api/extensions/counter/enable', { token: tokenB })).body.state).toBe('enabled');
      expect((await enabledInA).state).toBe('enabled');
      await createAccount(a, tokenA, 'after@shared.test');
      expect(counterOf(a).created).toEqual(['after@shared.test']);
    });

    it("the circuit breaker's disable in one host applies in the other within a second", async () => {
      const disabledInB = next(b, 'ExtDisabled');
      await createAccount(a, tokenA, 'trip-1@shared.test');
      const startedAt = Date.now();
      await createAccount(a, tokenA, 'trip-2@shared.test');
      expect(await disabledInB).toMatchObject({ name: 'flaky', state: 'disabled', reason: expect.stringContaining('circuit breaker') });
      expect(Date.now() - startedAt).toBeLessThan(1000);
      expect(a.host.manager.find('flaky')?.state).toBe('disabled');
    });

    it("a call made in one host appears in the other's live event stream, marked with the process it came from", async () => {
      const login = await fetch(`${b.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=admin&password=${ADMIN_PASSWORD}&next=%2Fadmin%2Fevents`,
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const controller = new AbortController();
      const res = await fetch(`${b.url}/admin/events/stream?hook=DomainCreated`, { headers: { cookie }, signal: controller.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      expect(text).toContain(': connected');
      const seenInB: LiveCall[] = [];
      const seenInA: LiveCall[] = [];
      const offB = b.host.liveEvents.subscribe('call', (c) => c.hook === 'DomainCreated' && seenInB.push(c));
      const offA = a.host.liveEvents.subscribe('call', (c) => c.hook === 'DomainCreated' && seenInA.push(c));

      expect((await a.req('POST', '/api/domains', { token: tokenA, body: { name: 'only-in-a.test' } })).status).toBe(201);
      while (!(text.includes('only-in-a.test') && text.includes('\n\n', text.indexOf('event: call')))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      controller.abort();
      offA();
      offB();

      expect(text).toContain('data: <li data-hook="DomainCreated"');
      expect(text).toMatch(/from process\/[^ <]+:\d+:[0-9a-f]+/);
      expect(seenInB).toEqual([expect.objectContaining({ hook: 'DomainCreated', origin: expect.stringMatching(/:\d+:/), report: expect.objectContaining({ startedAt: expect.any(Date) }) })]);
      // A's own event is not echoed back into its log.
      expect(seenInA).toEqual([expect.not.objectContaining({ origin: expect.anything() })]);
    });
  });

  it('on one SQLite file, a host follows the extension state another host saved within a second', async () => {
    const file = join(tmp.dir, 'shared.sqlite');
    const a = await start(file, [Counter]);
    const b = await start(file, [Counter]);
    try {
      const disabledInB = next(b, 'ExtDisabled');
      const startedAt = Date.now();
      await a.host.manager.disable('counter');
      expect((await disabledInB).state).toBe('disabled');
      expect(Date.now() - startedAt).toBeLessThan(1000);
      const enabledInA = next(a, 'ExtEnabled');
      await b.host.manager.enable('counter');
      expect((await enabledInA).state).toBe('enabled');
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
