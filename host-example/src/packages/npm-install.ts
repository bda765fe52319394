import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { HostError } from '../errors';

const run = promisify(execFile);

/**
 * Packages an extension must share with the host: decorator metadata, DI tokens and the
 * extension brand live in these modules, so a second copy would make the extension invisible.
 */
export const SHARED_PACKAGES = ['@plugboard/core', 'inversify', 'reflect-metadata'] as const;

/** Where added extension packages are installed: `extensions/` next to the database. */
export function extensionsDirOf(dbFile: string): string {
  return join(dirname(resolve(dbFile)), 'extensions');
}

function dependencies(dir: string): Record<string, string> {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
}

/** Points the shared packages of the extensions directory at the host's own copies. */
export function linkSharedPackages(dir: string): void {
  for (const name of SHARED_PACKAGES) {
    const target = packageRoot(name);
    const link = join(dir, 'node_modules', name);
    if (existsSync(link) || isDanglingLink(link)) rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}

/** The host's copy of a package: the directory holding its package.json (which `exports` may hide). */
export function packageRoot(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new HostError('PB_HOST_INVALID', `The host cannot find its own copy of ${name}; reinstall the host's dependencies.`);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A local path (directory or tarball) as npm needs it, or the registry spec unchanged. */
function npmSpec(source: string): string {
  const local = isAbsolute(source) || source.startsWith('.') || source.endsWith('.tgz');
  return local ? resolve(source) : source;
}

/**
 * Installs an extension package (a directory, a tarball or a registry spec) into the extensions
 * directory with npm: its own dependencies are installed, its peers are not even resolved (`--legacy-peer-deps`: the host's copies
 * are linked in instead), and a directory is copied rather than linked, so its imports resolve
 * inside the extensions directory. Returns the package's name and version.
 *
 * @throws HostError `PB_HOST_INVALID` when npm fails (its message included).
 */
export async function installPackage(dir: string, source: string): Promise<{ name: string; version: string }> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'plugboard-extensions', private: true, dependencies: {} }, null, 2)}\n`);
  const before = dependencies(dir);
  const spec = npmSpec(source);
  try {
    await run('npm', ['install', '--prefix', dir, '--legacy-peer-deps', '--install-links', '--no-audit', '--no-fund', '--prefer-offline', '--save', spec], { timeout: 300_000 });
  } catch (e) {
    const detail = (e as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') ?? String(e);
    throw new HostError('PB_HOST_INVALID', `npm could not install "${source}": ${detail}`, { field: 'source', cause: e });
  }
  linkSharedPackages(dir);
  const after = dependencies(dir);
  const name = Object.keys(after).find((n) => !(n in before)) ?? Object.keys(after).find((n) => after[n].includes(spec)) ?? Object.keys(after).find((n) => after[n] !== before[n]);
  if (name === undefined) throw new HostError('PB_HOST_INVALID', `npm installed "${source}" but it is not listed in ${join(dir, 'package.json')}; add it again by its path or tarball.`, { field: 'source' });
  const version = (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return { name, version };
}

/** Uninstalls a package from the extensions directory (nothing happens when it is not there). */
export async function uninstallPackage(dir: string, name: string): Promise<void> {
  if (!(name in dependencies(dir))) return;
  await run('npm', ['uninstall', '--prefix', dir, '--legacy-peer-deps', '--no-audit', '--no-fund', name], { timeout: 300_000 });
  linkSharedPackages(dir);
}
