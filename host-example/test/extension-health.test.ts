/**
 * Extension health through the real host (issue 21): calls, errors and the last error of each
 * extension in the API, the CLI and the admin page (Chromium), and the circuit breaker that
 * disables a failing extension with the reason recorded, raises ExtDisabled and persists it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extension, observe, type ExtensionInfo } from '@plugboard/core';
import { chromium, type BrowserContext } from 'playwright-core';
import { hostHooks } from '../src/hooks';
import type { User } from '../src/model';
import { buildCli } from '../src/cli';
import { ADMIN_PASSWORD, start, type Running } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const BREAKER_REASON = 'circuit breaker: 3 consecutive failed calls within 60 s';

@extension({ name: 'flaky', version: '1.0.0', description: 'Syncs accounts to a directory that is down.' })
class Flaky {
  @observe(hostHooks.AccountCreated)
  async created(_account: User): Promise<void> {
    throw new Error('directory unreachable');
  }
}

const steadySeen: string[] = [];
@extension({ name: 'steady', version: '1.0.0' })
class Steady {
  @observe(hostHooks.AccountCreated)
  async created(account: User): Promise<void> {
    steadySeen.push(account.username);
  }
}

describe('extension health and the circuit breaker', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let dbFile: string;
  let running: Running;
  let token: string;
  let context: BrowserContext | undefined;
  const options = { health: { breaker: { failures: 3, windowMs: 60_000 } } };
  const api = (method: string, path: string, body?: unknown) => running.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const ext = async (name: string) => ((await api('GET', '/api/extensions')).body.extensions as (ExtensionInfo & { health: Record<string, unknown> })[]).find((e) => e.name === name);
  const createAccount = async (n: number) => expect((await api('POST', '/api/accounts', { username: `u${n}@health.test`, password: `password-${n}-long` })).status).toBe(201);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (.ci/run does). This test never skips.`);
    dir = mkdtempSync(join(tmpdir(), 'pb-health-'));
    dbFile = join(dir, 'host.sqlite');
    running = await start(dbFile, [Flaky, Steady], options);
    token = await running.login('admin', ADMIN_PASSWORD);
    expect((await api('POST', '/api/domains', { name: 'health.test' })).status).toBe(201);
  });

  afterAll(async () => {
    await context?.close();
    await running?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('the API shows each extension calls, errors and the last error while the requests succeed', async () => {
    await createAccount(1);
    await createAccount(2);
    const flaky = await ext('flaky');
    expect(flaky).toMatchObject({ state: 'enabled', health: { calls: 2, errors: 2, timeouts: 0, invalidResults: 0, consecutiveFailures: 2 } });
    expect(flaky?.health.lastError).toMatchObject({ hook: 'AccountCreated', code: 'PB_LISTENER_FAILED' });
    expect(String((flaky?.health.lastError as { message: string }).message)).toContain('directory unreachable');
    expect(Date.parse(String((flaky?.health.lastError as { at: string }).at))).not.toBeNaN();
    expect(await ext('steady')).toMatchObject({ health: { calls: 2, errors: 0 } });
  });

  test('the third failure in a row disables the extension with the reason, raises ExtDisabled, and the others keep running', async () => {
    const disabled = new Promise<ExtensionInfo>((resolve) => running.host.bus.on('ExtDisabled', (info) => resolve(info), { extension: 'health-test' }));
    await createAccount(3);
    expect(await disabled).toMatchObject({ name: 'flaky', state: 'disabled', reason: BREAKER_REASON });
    await createAccount(4);
    expect(await ext('flaky')).toMatchObject({ state: 'disabled', reason: BREAKER_REASON, health: { calls: 3, errors: 3 } });
    expect(steadySeen).toEqual(['u1@health.test', 'u2@health.test', 'u3@health.test', 'u4@health.test']);
  });

  test('after a restart the extension is still disabled with its reason, and the figures are kept', async () => {
    await running.stop();
    running = await start(dbFile, [Flaky, Steady], options);
    token = await running.login('admin', ADMIN_PASSWORD);
    expect(await ext('flaky')).toMatchObject({ state: 'disabled', reason: BREAKER_REASON, health: { calls: 3, errors: 3 } });
  });

  test('the CLI lists the state, the reason and the figures', async () => {
    const lines: string[] = [];
    await buildCli({ extensions: [Flaky, Steady], out: (l) => lines.push(l), env: { LOG_LEVEL: 'silent' } }).parseAsync(['node', 'main', '--db', dbFile, 'extensions', 'list']);
    expect(lines[0]).toMatch(
      new RegExp(`^flaky\\t1\\.0\\.0\\tdisabled \\(${BREAKER_REASON}\\)\\t3 calls, 3 errors, 0 timeouts, 0 invalid, avg \\d+\\.\\d ms, p99 \\d+\\.\\d ms, last error \\S+Z in AccountCreated \\(PB_LISTENER_FAILED\\): .*directory unreachable`),
    );
    expect(lines[1]).toMatch(/^steady\t1\.0\.0\tenabled\t4 calls, 0 errors/);
  });

  test('the admin page shows the figures and the reason, and an administrator enables the extension again', async () => {
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${running.url}/admin`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/extensions$/);
    const card = page.locator('#ext-flaky');
    expect(await card.locator('#ext-flaky-reason').textContent()).toBe(`Disabled: ${BREAKER_REASON}`);
    const health = card.getByRole('definition');
    expect(await health.allTextContents()).toEqual(['3', '3', '0', '0', expect.stringMatching(/ms$/), expect.stringMatching(/ms$/)]);
    expect(await card.getByRole('note').last().textContent()).toMatch(/Last error .* in AccountCreated \(PB_LISTENER_FAILED\): .*directory unreachable/);

    await card.getByRole('button', { name: 'Enable flaky' }).click();
    await page.locator('#ext-flaky .badge', { hasText: 'enabled' }).waitFor();
    expect(await page.locator('#ext-flaky-reason').count()).toBe(0);
    expect(await ext('flaky')).toMatchObject({ state: 'enabled' });
    expect((await ext('flaky'))?.reason).toBeUndefined();
  });
});
