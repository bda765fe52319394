/**
 * Extension packages on disk, loaded the way a host loads them: in a separate Node process (as
 * in production, outside jest's module sandbox) through core's built `dist`. Covers CommonJS
 * and ESM entries, a second copy of core inside the package, and every way a package can be
 * refused — each with a coded error naming the package.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CORE = join(ROOT, 'core');
const HOST = { name: '@example/mail-catalogue', version: '1.4.0' };
const manifest = (extra: Record<string, unknown> = {}) => ({ entry: './index.js', catalogue: { name: HOST.name, range: '^1.2.0' }, ...extra });

interface Outcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly packageName?: string;
  readonly message?: string;
  readonly extensions?: string[];
  readonly calls?: string[];
}

const DEFINE_CJS = `const { defineExtension } = require('@plugboard/core');
module.exports = { Hello: defineExtension()({ name: NAME, version: '1.0.0', hooks: { Ping(to) { globalThis.calls.push(NAME + ':' + to); } } }) };`;

describe('extension packages', () => {
  let dir: string;
  let outcomes: Record<string, Outcome>;

  function pkg(name: string, json: Record<string, unknown> | undefined, files: Record<string, string>, linkCore = true): string {
    const at = join(dir, name);
    mkdirSync(at, { recursive: true });
    if (json !== undefined) writeFileSync(join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...json }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(at, file)), { recursive: true });
      writeFileSync(join(at, file), text);
    }
    if (linkCore) {
      mkdirSync(join(at, 'node_modules', '@plugboard'), { recursive: true });
      symlinkSync(CORE, join(at, 'node_modules', '@plugboard', 'core'));
    }
    return at;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-ext-pkgs-'));
    pkg('cjs-ok', { plugboard: manifest() }, { 'index.js': DEFINE_CJS.replace(/NAME/g, "'cjs-ok'") });
    pkg('esm-ok', { type: 'module', plugboard: manifest({ entry: ['./a.js', './b.js'] }) }, {
      'a.js': `import { defineExtension } from '@plugboard/core';\nexport default defineExtension()({ name: 'esm-a', version: '1.0.0', hooks: { Ping(to) { globalThis.calls.push('esm-a:' + to); } } });`,
      'b.js': `import { defineExtension } from '@plugboard/core';\nexport const list = [defineExtension()({ name: 'esm-b', version: '1.0.0', hooks: { Ping(to) { globalThis.calls.push('esm-b:' + to); } } })];`,
    });
    // Its own copy of core (not a link): decorated by another module instance, still recognised.
    const copy = pkg('own-core', { plugboard: manifest() }, { 'index.js': DEFINE_CJS.replace(/NAME/g, "'own-core'") }, false);
    const copyCore = join(copy, 'node_modules', '@plugboard', 'core');
    cpSync(join(CORE, 'dist'), join(copyCore, 'dist'), { recursive: true });
    cpSync(join(CORE, 'package.json'), join(copyCore, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copyCore, 'node_modules'));
    pkg('other-catalogue', { plugboard: manifest({ catalogue: { name: '@example/shop-catalogue', range: '^1.0.0' } }) }, { 'index.js': DEFINE_CJS.replace(/NAME/g, "'x'") });
    pkg('old-range', { plugboard: manifest({ catalogue: { name: HOST.name, range: '^2.0.0' } }) }, { 'index.js': DEFINE_CJS.replace(/NAME/g, "'x'") });
    pkg('no-manifest', {}, { 'index.js': '' });
    pkg('no-package-json', undefined, {});
    pkg('bad-manifest', { plugboard: { entry: '../escape.js', catalogue: { name: HOST.name, range: 'not a range' } } }, {});
    pkg('missing-entry', { plugboard: manifest({ entry: './dist/index.js' }) }, {});
    pkg('throws', { plugboard: manifest() }, { 'index.js': "throw new Error('boom at import');" });
    pkg('syntax', { plugboard: manifest() }, { 'index.js': 'module.exports = {' });
    pkg('missing-dep', { plugboard: manifest() }, { 'index.js': "require('not-installed-anywhere-pb');" });
    pkg('empty', { plugboard: manifest() }, { 'index.js': 'module.exports = { answer: 42 };' });

    const script = `
      require('reflect-metadata');
      const core = require(${JSON.stringify(join(CORE, 'dist', 'index.js'))});
      const { Container } = require('inversify');
      globalThis.calls = [];
      (async () => {
        const hooks = core.defineHooks({ Ping: core.notify() });
        const bus = new core.HookBus(hooks);
        const manager = new core.ExtensionManager({ bus, container: new Container() });
        const out = {};
        for (const name of ${JSON.stringify([
          'cjs-ok', 'esm-ok', 'own-core', 'other-catalogue', 'old-range', 'no-manifest', 'no-package-json', 'bad-manifest',
          'missing-entry', 'throws', 'syntax', 'missing-dep', 'empty',
        ])}) {
          try {
            const loaded = await core.loadExtensionPackage(require('path').join(${JSON.stringify(dir)}, name), ${JSON.stringify(HOST)});
            for (const ext of loaded.extensions) await manager.install(ext);
            out[name] = { ok: true, extensions: loaded.extensions.map((e) => core.extensionMeta(e).name) };
          } catch (e) {
            out[name] = { ok: false, code: e.code, packageName: e.packageName, message: e.message };
          }
        }
        bus.call('Ping', 'all');
        out.calls = globalThis.calls;
        console.log(JSON.stringify(out));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT });
    outcomes = JSON.parse(stdout) as Record<string, Outcome>;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads CommonJS and ESM entries (several entries, default and list exports) and installs what they export', () => {
    expect(outcomes['cjs-ok']).toEqual({ ok: true, extensions: ['cjs-ok'] });
    expect(outcomes['esm-ok']).toEqual({ ok: true, extensions: ['esm-a', 'esm-b'] });
    expect(outcomes.calls).toEqual(expect.arrayContaining(['cjs-ok:all', 'esm-a:all', 'esm-b:all']));
  });

  it('recognises extensions defined with another copy of core in the package', () => {
    expect(outcomes['own-core']).toEqual({ ok: true, extensions: ['own-core'] });
    expect(outcomes.calls).toContain('own-core:all');
  });

  it('refuses a package made for another catalogue or another range, naming both', () => {
    expect(outcomes['other-catalogue']).toMatchObject({ ok: false, code: 'PB_EXT_INCOMPATIBLE', packageName: 'other-catalogue' });
    expect(outcomes['other-catalogue'].message).toMatch(/@example\/shop-catalogue \^1\.0\.0.*@example\/mail-catalogue 1\.4\.0/);
    expect(outcomes['old-range']).toMatchObject({ ok: false, code: 'PB_EXT_INCOMPATIBLE', message: expect.stringMatching(/\^2\.0\.0.*1\.4\.0/) });
  });

  it('refuses a missing or malformed manifest, naming every problem', () => {
    expect(outcomes['no-manifest']).toMatchObject({ ok: false, code: 'PB_MANIFEST_MISSING', packageName: 'no-manifest' });
    expect(outcomes['no-package-json']).toMatchObject({ ok: false, code: 'PB_MANIFEST_MISSING' });
    expect(outcomes['bad-manifest']).toMatchObject({ ok: false, code: 'PB_MANIFEST_INVALID', packageName: 'bad-manifest' });
    expect(outcomes['bad-manifest'].message).toMatch(/plugboard\.entry.*plugboard\.catalogue\.range/s);
    expect(outcomes['missing-entry']).toMatchObject({ ok: false, code: 'PB_MANIFEST_INVALID', message: expect.stringMatching(/dist\/index\.js of missing-entry does not exist/) });
  });

  it('reports a package that throws at import, has a syntax error, lacks a dependency or exports nothing', () => {
    expect(outcomes.throws).toMatchObject({ ok: false, code: 'PB_PKG_IMPORT_FAILED', packageName: 'throws', message: expect.stringContaining('boom at import') });
    expect(outcomes.syntax).toMatchObject({ ok: false, code: 'PB_PKG_IMPORT_FAILED', message: expect.stringContaining('SyntaxError') });
    expect(outcomes['missing-dep']).toMatchObject({ ok: false, code: 'PB_PKG_DEPENDENCY_MISSING', message: expect.stringContaining('not-installed-anywhere-pb') });
    expect(outcomes.empty).toMatchObject({ ok: false, code: 'PB_PKG_EMPTY', packageName: 'empty' });
  });
});
