/**
 * The packages as a user gets them: every workspace packed by npm into a tarball and installed in a
 * fresh project outside the repository; the plugins used from there; and core's 30-second example —
 * taken from core/README.md as it is — compiled and run as CommonJS, as ESM (`module: nodenext`)
 * and under tsx.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const EXPECTED = 'mail to ann@example.org\nWelcome\n';

/** The first ```ts block of core/README.md: the 30-second example, unchanged. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'core', 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error('core/README.md has no ```ts block');
  return match[1];
}

/** The folder of a workspace package, from its name. */
function workspaceDir(name: string): string {
  const short = name.replace('@plugboard/', '');
  if (short === 'core' || short === 'testing') return short;
  if (short === 'mail-catalogue') return 'examples/mail-catalogue';
  if (short === 'host-example') return 'host-example';
  return `plugins/${short}`;
}

const COMPILER = { strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: false, outDir: 'dist', rootDir: 'src', target: 'ES2022' };

describe('@plugboard/core from its npm tarball', () => {
  let dir: string;
  let tarball: string;
  /** Holds the one install (node_modules) the projects below it share, as npm workspaces would. */
  let work: string;

  /** What `npm pack --json` says of each workspace package: its tarball and the files in it. */
  let packed: { name: string; filename: string; files: { path: string }[] }[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir, '--workspaces'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    packed = JSON.parse(stdout) as typeof packed;
    const tarballOf = (name: string): string => join(dir, (packed.find((p) => p.name === name) as { filename: string }).filename);
    tarball = tarballOf('@plugboard/core');
    work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'fresh-user', version: '1.0.0', private: true }));
    // Every published tarball and the peers they declare, from the registry (npm's cache first), as a
    // user installs them. Install scripts are skipped and better-sqlite3 gets the native module the
    // repository already compiled for this Node: compiling it again takes two minutes on this machine
    // and tests better-sqlite3, not these packages.
    const tarballs = packed.filter((p) => p.name !== '@plugboard/host-example').map((p) => tarballOf(p.name));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, 'inversify@^7', 'reflect-metadata@^0.2', '@types/node@^20'], { cwd: work, timeout: 150_000 });
    const version = (at: string) => (JSON.parse(readFileSync(join(at, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
    expect(version(work)).toBe(version(ROOT));
    cpSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build'), join(work, 'node_modules', 'better-sqlite3', 'build'), { recursive: true });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A project whose only source is the README example, resolving packages from the shared install. */
  function project(name: string, packageJson: object, compilerOptions: object): string {
    const at = join(work, name);
    mkdirSync(join(at, 'src'), { recursive: true });
    writeFileSync(join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...packageJson }));
    writeFileSync(join(at, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...COMPILER, ...compilerOptions }, include: ['src'] }));
    writeFileSync(join(at, 'src', 'index.ts'), readmeExample());
    return at;
  }

  it('packs every package with what its exports map names, its README, and no sources or specs', () => {
    const names = packed.map((p) => p.name).sort();
    expect(names).toEqual(expect.arrayContaining(['@plugboard/core', '@plugboard/mail-catalogue', '@plugboard/notify', '@plugboard/outbox', '@plugboard/redis', '@plugboard/rules', '@plugboard/scripts', '@plugboard/testing', '@plugboard/webhooks']));
    for (const p of packed.filter((x) => x.name !== '@plugboard/host-example')) {
      const files = p.files.map((f) => f.path);
      const manifest = JSON.parse(readFileSync(join(ROOT, workspaceDir(p.name), 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
      const entry = manifest.exports['.'];
      expect({ name: p.name, files: [entry.types, entry.default, 'README.md'].filter((f) => !files.includes(f.replace(/^\.\//, ''))) }).toEqual({ name: p.name, files: [] });
      expect({ name: p.name, stray: files.filter((f) => /\.spec\.|^src\/|tsbuildinfo|^test\//.test(f)) }).toEqual({ name: p.name, stray: [] });
    }
  });

  it('resolves every package from the fresh project with require() and import()', async () => {
    const script = "const t = require('@plugboard/testing'); const c = require('@plugboard/mail-catalogue'); import('@plugboard/testing').then((m) => console.log(typeof t.testExtension, typeof m.testExtension, c.MAIL_CATALOGUE.name, Object.keys(c.hostHooks).length));";
    expect((await run(process.execPath, ['-e', script], { cwd: work })).stdout.trim()).toBe('function function @plugboard/mail-catalogue 56');
    const all = ['core', 'testing', 'mail-catalogue', 'outbox', 'rules', 'notify', 'webhooks', 'scripts', 'redis'].map((p) => `@plugboard/${p}`);
    const each = `const all = ${JSON.stringify(all)}; Promise.all(all.map((p) => import(p))).then((ms) => console.log(all.map((p, i) => typeof require(p) === 'object' && Object.keys(ms[i]).length > 0).every(Boolean)));`;
    expect((await run(process.execPath, ['-e', each], { cwd: work })).stdout.trim()).toBe('true');
  });

  it('works from the installed plugins: an outbox and a rules store on SQLite, a rule saved', async () => {
    const script = `
      require('reflect-metadata');
      const { Outbox } = require('@plugboard/outbox');
      const { RuleStore, HandlerModuleRegistry, LoggerHandler } = require('@plugboard/rules');
      const Database = require('better-sqlite3');
      const db = new Database(':memory:');
      const outbox = new Outbox({ database: db });
      const message = outbox.enqueue('mail', { to: 'ann@example.org' });
      const registry = new HandlerModuleRegistry();
      registry.register(new LoggerHandler(() => undefined));
      const store = new RuleStore(db, { registry });
      store.create({ name: 'log', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log', options: { message: 'hi' } })
        .then(() => store.list())
        .then((rules) => console.log(outbox.get(message.id).state, rules.length));`;
    expect((await run(process.execPath, ['-e', script], { cwd: work })).stdout.trim()).toBe('pending 1');
  });

  it('packs only what the package needs: dist, README, package.json', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => /\.spec\.|\/src\/|tsbuildinfo/.test(f))).toEqual([]);
  });

  it('compiles and runs the README example unchanged in a CommonJS TypeScript project', async () => {
    const at = project('readme-cjs', {}, { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true });
    await run(process.execPath, [TSC, '-p', at]);
    expect((await run(process.execPath, [join(at, 'dist', 'index.js')])).stdout).toBe(EXPECTED);
  }, 120_000);

  it('compiles and runs the README example unchanged in an ESM TypeScript project (module nodenext)', async () => {
    const at = project('readme-esm', { type: 'module' }, { module: 'nodenext', moduleResolution: 'nodenext' });
    await run(process.execPath, [TSC, '-p', at]);
    expect((await run(process.execPath, [join(at, 'dist', 'index.js')])).stdout).toBe(EXPECTED);
  }, 120_000);

  it('runs the README example unchanged under tsx (no decorator metadata emitted)', async () => {
    const at = project('readme-tsx', { type: 'module' }, { module: 'nodenext', moduleResolution: 'nodenext' });
    expect((await run(process.execPath, [TSX, join(at, 'src', 'index.ts')], { cwd: at })).stdout).toBe(EXPECTED);
  }, 120_000);
});
