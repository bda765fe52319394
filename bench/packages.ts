/**
 * Extension packages in the host (issue 16): the time to hot-add one small package to a running
 * host (load + install + enable, after npm has put it on disk), host start with 50 packages, and
 * dispatch through package-loaded extensions against the same extensions defined in-process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineExtension } from '@plugboard/core';
import { createHost, hostHooks, type Host, type User } from '@plugboard/host-example';
import { consume, timeAsync, type Measurement } from './harness';
// Internal pieces of the host: the bench puts packages where `extensions add` would, without npm.
import { linkSharedPackages } from '../host-example/src/packages/npm-install';
import { PackageStore } from '../host-example/src/packages/package-store';

const MANIFEST = { entry: './index.js', catalogue: { name: '@plugboard/mail-catalogue', range: '^0.1.0' } };

function writePackage(extensionsDir: string, name: string): void {
  const at = join(extensionsDir, 'node_modules', name);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', plugboard: MANIFEST }));
  writeFileSync(
    join(at, 'index.js'),
    `const { defineExtension } = require('@plugboard/core');
module.exports = defineExtension()({ name: ${JSON.stringify(name)}, version: '1.0.0',
  hooks: { UserMenuDisplay(target) { return target === 'top_menu' ? [{ name: ${JSON.stringify(name)}, label: 'x', url: '/x' }] : []; } } });`,
  );
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const open = (dir: string): Promise<Host> => createHost({ dbFile: join(dir, 'host.sqlite'), extensions: [], logger: 'silent', deliver: false, admin: { password: 'bench-password-1' } });

async function hotAdd(log: (l: string) => void): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-hot-'));
  try {
    const host = await open(dir);
    const extensions = join(dir, 'extensions');
    linkSharedPackages(extensions);
    const store = new PackageStore(host.db);
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const name = `hot-${i}`;
      writePackage(extensions, name);
      const t0 = process.hrtime.bigint();
      store.save({ name, source: name, version: '1.0.0' });
      await host.packages.reconcile();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (host.packages.list().find((p) => p.name === name)?.state !== 'loaded') throw new Error(`${name} did not load`);
    }
    await host.close();
    log(`hot-add: median ${median(times).toFixed(2)} ms over ${times.length}`);
    return { scenario: 'package-hot-add-ms', contender: 'plugboard', nsPerOp: median(times), note: 'ms: record + load + install + enable one package already on disk (npm excluded), median of 25' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startWith(count: number): Promise<{ ms: number; host: Host; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-start-'));
  const extensions = join(dir, 'extensions');
  linkSharedPackages(extensions);
  const first = await open(dir);
  const store = new PackageStore(first.db);
  for (let i = 0; i < count; i++) {
    writePackage(extensions, `pkg-${i}`);
    store.save({ name: `pkg-${i}`, source: `pkg-${i}`, version: '1.0.0' });
  }
  await first.close();
  const t0 = process.hrtime.bigint();
  const host = await open(dir);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (host.packages.list().filter((p) => p.state === 'loaded').length !== count) throw new Error('not every package loaded');
  return { ms, host, dir };
}

async function dispatch(host: Host, label: string): Promise<Measurement> {
  const user = { id: 1, username: 'ann@example.org', role: 'SimpleUsers' } as unknown as User;
  const ns = await timeAsync(async () => consume(await host.bus.call('UserMenuDisplay', 'top_menu', user)), { batch: 5_000, samples: 7 });
  return { scenario: 'package-dispatch-10', contender: label, nsPerOp: ns, note: 'UserMenuDisplay with 10 extensions contributing an entry' };
}

/** Runs the extension-package measurements. */
export async function runPackageBenchmarks(log: (l: string) => void): Promise<Measurement[]> {
  const results: Measurement[] = [await hotAdd(log)];
  const empty = await startWith(0);
  const fifty = await startWith(50);
  log(`start: ${empty.ms.toFixed(0)} ms with no package, ${fifty.ms.toFixed(0)} ms with 50`);
  results.push(
    { scenario: 'host-start-ms', contender: 'no packages', nsPerOp: empty.ms, note: 'ms: createHost on an existing database' },
    { scenario: 'host-start-ms', contender: '50 packages', nsPerOp: fifty.ms, note: 'ms: createHost loading 50 extension packages' },
  );
  await Promise.all([empty, fifty].map(async (s) => s.host.close()));
  [empty, fifty].forEach((s) => rmSync(s.dir, { recursive: true, force: true }));

  // Dispatch: 10 extensions loaded from packages against the same 10 defined in this process.
  const fromPackages = await startWith(10);
  const inRepo = await startWith(0);
  for (let i = 0; i < 10; i++) {
    const name = `local-${i}`;
    await inRepo.host.manager.install(
      defineExtension(hostHooks, { name, version: '1.0.0', hooks: { UserMenuDisplay: (target) => (target === 'top_menu' ? [{ name, label: 'x', url: '/x' }] : []) } }),
    );
  }
  results.push(await dispatch(fromPackages.host, 'from packages'), await dispatch(inRepo.host, 'in-process defineExtension'));
  for (const s of [fromPackages, inRepo]) {
    await s.host.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
  return results;
}
