/**
 * `@plugboard/core` as a user gets it: packed by npm into a tarball, installed in fresh projects
 * outside the repository, and the README's 30-second example — taken from core/README.md as it
 * is — compiled and run as CommonJS, as ESM (`module: nodenext`) and under tsx.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const COMPILER = { strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: false, outDir: 'dist', rootDir: 'src', target: 'ES2022' };

describe('@plugboard/core from its npm tarball', () => {
  let dir: string;
  let tarball: string;
  /** Holds the one install (node_modules) the projects below it share, as npm workspaces would. */
  let work: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-pack-'));
    const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--workspace', 'core'], { cwd: ROOT });
    tarball = join(dir, stdout.trim().split('\n').pop() as string);
    work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'fresh-user', version: '1.0.0', private: true }));
    // The tarball and the peers it declares, from the registry (npm's cache first), as a user installs them.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'inversify@^7', 'reflect-metadata@^0.2', '@types/node@^20'], { cwd: work, timeout: 150_000 });
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
