/**
 * Untrusted extension packages in the real host (issue 21): a package marked `"untrusted": true`
 * runs in a sandbox worker. Its listener loops forever, exhausts its heap or exits the process:
 * the API keeps answering, the other extensions keep working, the sandbox is restarted, and
 * after its restart budget the extension is disabled with the reason. A package that throws at
 * import is listed as failed.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExtensionInfo } from '@plugboard/core';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { ADMIN_PASSWORD, start, type Running } from './helpers';

// Inside the repository, so the packages' require('@plugboard/core') finds the built core as an installed package would.
const ROOT = join(__dirname, '..', 'test-output', `sandboxed-${process.pid}`);
const MANIFEST = { entry: './index.js', catalogue: { name: '@plugboard/mail-catalogue', range: '^0.1.0' }, untrusted: true };

function writePackage(name: string, code: string, manifest: object = MANIFEST): string {
  const at = join(ROOT, name);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', plugboard: manifest }));
  writeFileSync(join(at, 'index.js'), code);
  return at;
}

const WILD = `const { defineExtension } = require('@plugboard/core');
const hoard = [];
module.exports = defineExtension()({
  name: 'wild', version: '1.0.0', description: 'Misbehaves on demand',
  hooks: {
    async UserMenuDisplay(target) { return target === 'top_menu' ? [{ name: 'wild', label: 'From the sandbox', url: '/wild' }] : []; },
    async AccountCreated(account) {
      const kind = account.username.split('-')[0];
      if (kind === 'loop') for (;;) {}
      if (kind === 'bomb') for (;;) hoard.push(new Array(1000000).fill(kind));
      if (kind === 'exit') process.exit(2);
      await globalThis.plugboardSandbox.call('log', 'saw ' + account.username);
    },
  },
});`;

describe('untrusted extension packages run sandboxed in the host', () => {
  jest.setTimeout(60_000);
  let running: Running;
  let token: string;
  const api = async (method: string, path: string, body?: unknown) => running.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const wild = async () => ((await api('GET', '/api/extensions')).body.extensions as ExtensionInfo[]).find((e) => e.name === 'wild');
  const menu = async () => ((await api('GET', '/api/menus/top_menu')).body.entries as { name: string }[]).map((e) => e.name);
  const audited = async () => ((await api('GET', '/api/ext/audit-log/entries?hook=AccountCreated')).body.entries as { args: { username: string }[] }[]).map((e) => e.args[0].username);
  const createAccount = async (username: string) => {
    const started = Date.now();
    const res = await api('POST', '/api/accounts', { username, password: 'sandbox-password-1' });
    return { status: res.status, ms: Date.now() - started };
  };

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', '..', 'core', 'dist', 'index.js'))) throw new Error('core/dist is missing: run `npm run build` (sandboxed packages require the built @plugboard/core).');
    const wildDir = writePackage('ext-wild', WILD);
    const brokenDir = writePackage('ext-broken', "throw new Error('broken at import');");
    running = await start(join(ROOT, 'host.sqlite'), SAMPLE_EXTENSIONS, {
      extensionPackages: [wildDir, brokenDir],
      sandbox: { cpuTimeoutMs: 300, heapMb: 32, restarts: { max: 2, windowMs: 60_000 } },
    });
    token = await running.login('admin', ADMIN_PASSWORD);
    expect((await api('POST', '/api/domains', { name: 'sandbox.test' })).status).toBe(201);
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(ROOT, { recursive: true, force: true });
  });

  test('the untrusted package is loaded sandboxed and answers hooks; one that throws at import is listed as failed', async () => {
    const packages = (await api('GET', '/api/extension-packages')).body.packages as { name: string; state: string; sandboxed?: boolean; error?: { code: string; message: string } }[];
    expect(packages.find((p) => p.name === 'ext-wild')).toMatchObject({ state: 'loaded', sandboxed: true, extensions: ['wild'] });
    expect(packages.find((p) => p.name.endsWith('ext-broken'))).toMatchObject({ state: 'failed', error: { code: 'PB_SANDBOX_LOAD_FAILED', message: expect.stringContaining('broken at import') } });
    expect(await wild()).toMatchObject({ state: 'enabled' });
    expect(await menu()).toContain('wild');
  });

  test('an infinite loop, a memory bomb, process.exit: each request answers, the audit log still records, the sandbox is restarted', async () => {
    for (const kind of ['loop', 'bomb']) {
      const { status, ms } = await createAccount(`${kind}-1@sandbox.test`);
      expect(status).toBe(201);
      expect(ms).toBeLessThan(5000);
      expect((await api('GET', '/api/domains')).status).toBe(200);
      // Restarted: the next call is answered by a new worker.
      expect(await menu()).toContain('wild');
    }
    expect(await audited()).toEqual(expect.arrayContaining(['loop-1@sandbox.test', 'bomb-1@sandbox.test']));
    expect(await wild()).toMatchObject({ state: 'enabled' });
  });

  test('past its restart budget the extension is disabled with the reason; the host goes on', async () => {
    const disabledEvent = new Promise<ExtensionInfo>((resolve) => running.host.bus.on('ExtDisabled', (info) => resolve(info), { extension: 'sandbox-test' }));
    expect((await createAccount('exit-1@sandbox.test')).status).toBe(201);
    expect(await disabledEvent).toMatchObject({ name: 'wild' });
    const disabled = await wild();
    expect(disabled).toMatchObject({ state: 'disabled', reason: 'sandbox gave up after repeated failures (PB_SANDBOX_EXITED)' });
    expect(await menu()).not.toContain('wild');
    expect((await createAccount('after-1@sandbox.test')).status).toBe(201);
    expect(await audited()).toContain('after-1@sandbox.test');
  });
});
