/**
 * Passwords cannot be guessed at the server's speed: failed logins are limited per username and
 * per client address (429 with Retry-After), and unknown usernames cost the same work as known
 * ones, so they cannot be discovered by timing.
 */
import { join } from 'node:path';
import { LoginThrottle } from '../src/login-throttle';
import * as passwords from '../src/passwords';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('login throttling', () => {
  const tmp = tempDir();
  let run: Running;
  let clock = 1_000_000;
  const login = (username: string, password: string) => run.req('POST', '/api/login', { body: { username, password } });

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'throttle.sqlite'), [], { loginThrottle: new LoginThrottle({ perUsername: 3, perAddress: 8, windowMs: 60_000 }, () => clock) });
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('refuses a username after 3 failures, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 3; i++) expect((await login('admin', 'wrong-password')).status).toBe(401);
    const refused = await run.req('POST', '/api/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('PB_HOST_THROTTLED');
    const res = await fetch(`${run.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    clock += 60_001;
    expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('refuses an address that tries many usernames', async () => {
    clock += 120_000;
    for (let i = 0; i < 8; i++) expect((await login(`nobody-${i}`, 'wrong-password')).status).toBe(401);
    expect((await login('someone-else', 'wrong-password')).status).toBe(429);
    clock += 60_001;
  });

  it('verifies a password for unknown usernames too (against a dummy hash)', async () => {
    const spy = jest.spyOn(passwords, 'verifyPassword');
    try {
      expect((await login('no-such-user', 'whatever-pass')).status).toBe(401);
      expect(spy).toHaveBeenCalledTimes(1);
      expect((await login('admin', 'wrong-password')).status).toBe(401);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
