/**
 * An extension installed into a running host as a package, end to end with real processes: the
 * extension template, built and packed by npm into a tarball, added with the CLI while `serve`
 * runs; its menu entry appears in the API and on the admin page (Chromium) without a restart,
 * and disappears when it is removed. Broken and incompatible packages are listed as failed with
 * coded errors while the host keeps serving.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'host-example', 'dist', 'main.js');
const TEMPLATE = join(ROOT, 'examples', 'extension-template');
const PASSWORD = 'e2e-admin-password';
const MANIFEST = { entry: './index.js', catalogue: { name: '@plugboard/mail-catalogue', range: '^0.1.0' } };

/** Writes an extension package (plain CommonJS, no build step) into `dir`. */
function writePackage(dir: string, name: string, code: string, manifest: object = MANIFEST): string {
  const at = join(dir, name);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', plugboard: manifest, peerDependencies: { '@plugboard/core': '*' } }, null, 2));
  writeFileSync(join(at, 'index.js'), code);
  return at;
}

const HELLO = `const { defineExtension } = require('@plugboard/core');
module.exports = defineExtension()({
  name: 'hello', version: '1.0.0', description: 'Says hello in the top menu',
  hooks: { UserMenuDisplay(target) { return target === 'top_menu' ? [{ name: 'hello', label: 'Hello from a package', url: '/hello' }] : []; } },
});`;

describe('extension packages in a running host', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let token: string;
  const env = { ...process.env, ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', PLUGBOARD_EXTENSIONS: '' };
  const db = () => join(dir, 'data', 'host.sqlite');
  const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [MAIN, '--db', db(), ...args], { env })).stdout;
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const menu = async (): Promise<string[]> => ((await api('GET', '/api/menus/top_menu')).body.entries as { name: string }[]).map((e) => e.name);
  async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  jest.setTimeout(90_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-e2e-packages-'));
    server = spawn(process.execPath, [MAIN, '--db', db(), 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    server.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    url = await until(async () => /listening on (http:\/\/\S+)/.exec(out)?.[1], `the server to listen (it printed: ${out || 'nothing'})`, 45_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${out}`);
    });
    const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    token = ((await login.json()) as { token: string }).token;
  });
  afterAll(async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the extension template, built and packed by npm, with the CLI: the running server shows its menu entry, in the API and on the admin page', async () => {
    expect(await menu()).not.toContain('hello');
    // The extension template, built and packed as its README says.
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', TEMPLATE]);
    const { stdout } = await run('npm', ['pack', '--pack-destination', dir], { cwd: TEMPLATE });
    const tarball = join(dir, stdout.trim().split('\n').pop() as string);

    expect(await cli('extensions', 'add', tarball)).toContain('added package plugboard-extension-hello 0.1.0: loaded (hello)');
    await until(async () => ((await menu()).includes('hello') ? true : undefined), 'the server to load the package');
    const packages = (await api('GET', '/api/extension-packages')).body.packages as { name: string; state: string; extensions: string[] }[];
    expect(packages).toContainEqual(expect.objectContaining({ name: 'plugboard-extension-hello', state: 'loaded', extensions: ['hello'] }));
    expect((await cli('extensions', 'list')).split('\n')).toContainEqual(expect.stringMatching(/^package plugboard-extension-hello\t0\.1\.0\tloaded\t/));

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/admin/login`);
      await page.fill('input[name="username"]', 'admin');
      await page.fill('input[name="password"]', PASSWORD);
      await Promise.all([page.waitForURL(/\/admin\/extensions/), page.click('button[type="submit"]')]);
      await expect(page.locator('#ext-hello h2').textContent()).resolves.toContain('hello');
      await expect(page.locator('#pkg-plugboard-extension-hello').textContent()).resolves.toContain('loaded');
    } finally {
      await browser.close();
    }
  });

  it('lists a package that throws at import or targets another catalogue version as failed, and keeps serving', async () => {
    const broken = writePackage(join(dir, 'src'), 'broken-ext', "throw new Error('boom while importing');");
    expect(await cli('extensions', 'add', broken)).toMatch(/added package broken-ext 1\.0\.0: failed \(PB_PKG_IMPORT_FAILED: .*boom while importing/);
    const old = writePackage(join(dir, 'src'), 'old-ext', HELLO.replace(/'hello'/g, "'old'"), { ...MANIFEST, catalogue: { name: '@plugboard/mail-catalogue', range: '^2.0.0' } });
    expect(await cli('extensions', 'add', old)).toMatch(/failed \(PB_EXT_INCOMPATIBLE: .*\^2\.0\.0.*0\.1\.0/);
    const states = await until(async () => {
      const list = (await api('GET', '/api/extension-packages')).body.packages as { name: string; state: string; error?: { code: string } }[];
      return list.length >= 3 ? list : undefined;
    }, 'the server to list the failed packages');
    expect(states).toContainEqual(expect.objectContaining({ name: 'broken-ext', state: 'failed', error: expect.objectContaining({ code: 'PB_PKG_IMPORT_FAILED' }) }));
    expect(states).toContainEqual(expect.objectContaining({ name: 'old-ext', state: 'failed', error: expect.objectContaining({ code: 'PB_EXT_INCOMPATIBLE' }) }));
    expect((await api('GET', '/api/me')).status).toBe(200);
    expect(await menu()).toContain('hello');
  });

  it('removes the package with the CLI: the running server drops its entry without a restart', async () => {
    expect(await cli('extensions', 'remove', 'plugboard-extension-hello')).toContain('removed package plugboard-extension-hello');
    await until(async () => ((await menu()).includes('hello') ? undefined : true), 'the server to unload the package');
    const names = ((await api('GET', '/api/extension-packages')).body.packages as { name: string }[]).map((p) => p.name);
    expect(names).not.toContain('plugboard-extension-hello');
    expect((await api('GET', '/api/extensions')).body.extensions.map((e: { name: string }) => e.name)).not.toContain('hello');
  });
});
