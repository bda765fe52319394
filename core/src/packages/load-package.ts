import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExtensionClass, type ExtensionClass } from '../extension';
import { checkCompatibility, type CatalogueInfo } from './compatibility';
import { parseManifest, type ExtensionManifest } from './manifest';
import { ExtensionPackageError } from './package-errors';
import { loadSandboxedExtension, type SandboxedExtension } from '../sandbox/load-sandboxed';
import type { SandboxOptions } from '../sandbox/sandbox';

/** An extension class or a `defineExtension` result: what `ExtensionManager.install()` takes. */
export type ExtensionSource = ExtensionClass;

/** True for something `ExtensionManager.install()` accepts (made by any copy of core). */
export function isExtensionSource(value: unknown): value is ExtensionSource {
  return isExtensionClass(value);
}

/** A loaded extension package: its manifest and the extensions its entries export. */
export interface LoadedExtensionPackage {
  readonly dir: string;
  readonly manifest: ExtensionManifest;
  readonly extensions: readonly ExtensionSource[];
  /** The workers of its extensions when it runs sandboxed (empty otherwise): close them after unregistering. */
  readonly sandboxed: readonly SandboxedExtension[];
}

/**
 * How a host runs untrusted packages: the sandbox options (catalogue, limits, services), and
 * `always` to sandbox a package whose manifest does not ask for it (host configuration).
 */
export interface PackageSandbox extends Omit<SandboxOptions, 'extension'> {
  readonly always?: boolean | ((packageName: string) => boolean);
}

function sandboxed(manifest: ExtensionManifest, sandbox: PackageSandbox | undefined): boolean {
  const always = sandbox?.always;
  return manifest.untrusted || (typeof always === 'function' ? always(manifest.packageName) : always === true);
}

/** Imports one module by absolute file path. */
export type ModuleImporter = (file: string) => Promise<unknown>;

// TypeScript compiles `import()` to `require()` under CommonJS, which cannot load an ESM entry;
// a function built at run time keeps Node's real dynamic import, for CJS and ESM entries alike.
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/**
 * The default importer: Node's dynamic `import()`. A `version` makes a new module instance (a query
 * on the URL), so a package loaded again after a change runs its new code instead of the cached one.
 */
export function importModule(file: string, version?: string | number): Promise<unknown> {
  return nativeImport(pathToFileURL(file).href + (version === undefined ? '' : `?v=${version}`));
}

function readPackageJson(dir: string): unknown {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) {
    throw new ExtensionPackageError('PB_MANIFEST_MISSING', dir, `${dir} has no package.json, so it is not an extension package.`);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ExtensionPackageError('PB_MANIFEST_INVALID', dir, `${file} is not valid JSON: ${String(cause)}.`, { cause });
  }
}

function isMissingModule(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

/** Every export that is an extension; a default export and arrays of extensions count too. */
export function extensionsIn(moduleNamespace: unknown): ExtensionSource[] {
  const found = new Set<ExtensionSource>();
  const visit = (value: unknown, depth: number): void => {
    if (isExtensionSource(value)) found.add(value);
    else if (Array.isArray(value)) for (const v of value) visit(v, depth);
    else if (depth < 2 && typeof value === 'object' && value !== null) for (const v of Object.values(value)) visit(v, depth + 1);
  };
  visit(moduleNamespace, 0);
  return [...found];
}

async function importEntry(manifest: ExtensionManifest, dir: string, entry: string, importer: ModuleImporter): Promise<unknown> {
  const file = resolve(dir, entry);
  const name = manifest.packageName;
  if (!existsSync(file)) {
    throw new ExtensionPackageError('PB_MANIFEST_INVALID', name, `Entry ${entry} of ${name} does not exist (${file}); build the package or fix "plugboard.entry".`);
  }
  try {
    return await importer(file);
  } catch (cause) {
    // The first line names the module that was not found; the require stack below it names the entry itself.
    if (isMissingModule(cause) && !String(cause.message).split('\n')[0].includes(file)) {
      throw new ExtensionPackageError('PB_PKG_DEPENDENCY_MISSING', name, `${name} could not load a module it imports: ${cause.message.split('\n')[0]}. Install its dependencies.`, { cause });
    }
    const why = cause instanceof Error ? `${cause.name}: ${cause.message.split('\n')[0]}` : String(cause);
    throw new ExtensionPackageError('PB_PKG_IMPORT_FAILED', name, `Importing ${entry} of ${name} failed (${why}); the host and other extensions keep running. Fix the package and add it again.`, { cause });
  }
}

/**
 * Loads an extension package from its directory: reads and checks its manifest against the
 * host's catalogue, imports its entry modules and collects the extensions they export. Nothing
 * is installed: pass `extensions` to `ExtensionManager.install()`.
 *
 * A package whose manifest says `"untrusted": true` (or any package, with `sandbox.always`) is
 * not imported: each entry runs in a sandbox worker (see {@link loadSandboxedExtension}).
 *
 * @throws ExtensionPackageError `PB_MANIFEST_MISSING`, `PB_MANIFEST_INVALID`, `PB_EXT_INCOMPATIBLE`,
 *   `PB_PKG_IMPORT_FAILED`, `PB_PKG_DEPENDENCY_MISSING`, `PB_PKG_EMPTY` or `PB_PKG_UNTRUSTED`, naming
 *   the package; a sandboxed entry's `SandboxError`.
 * @example
 * ```ts
 * const pkg = await loadExtensionPackage('/srv/ext/node_modules/mail-stats', { name: '@plugboard/mail-catalogue', version: '0.1.0' });
 * for (const ext of pkg.extensions) await manager.install(ext);
 * ```
 */
export async function loadExtensionPackage(dir: string, host: CatalogueInfo, options: { importer?: ModuleImporter; sandbox?: PackageSandbox } = {}): Promise<LoadedExtensionPackage> {
  const root = resolve(dir);
  const manifest = parseManifest(readPackageJson(root), join(root, 'package.json'));
  checkCompatibility(manifest, host);
  if (sandboxed(manifest, options.sandbox)) return loadSandboxed(root, manifest, options.sandbox);
  const extensions = new Set<ExtensionSource>();
  for (const entry of manifest.entries) {
    for (const ext of extensionsIn(await importEntry(manifest, root, entry, options.importer ?? ((file: string) => importModule(file))))) extensions.add(ext);
  }
  if (extensions.size === 0) {
    throw new ExtensionPackageError(
      'PB_PKG_EMPTY',
      manifest.packageName,
      `${manifest.packageName} exports no extension from ${manifest.entries.join(', ')}; export a class decorated with @extension or the result of defineExtension().`,
    );
  }
  return { dir: root, manifest, extensions: [...extensions], sandboxed: [] };
}

/** Each entry in its own worker (one extension per entry); nothing of the package runs in the host. */
async function loadSandboxed(root: string, manifest: ExtensionManifest, sandbox: PackageSandbox | undefined): Promise<LoadedExtensionPackage> {
  const name = manifest.packageName;
  if (sandbox === undefined) {
    throw new ExtensionPackageError('PB_PKG_UNTRUSTED', name, `${name} is marked untrusted ("plugboard": { "untrusted": true }) and this host runs no sandboxed extensions; give loadExtensionPackage sandbox options or trust the package.`);
  }
  const loaded: SandboxedExtension[] = [];
  try {
    for (const entry of manifest.entries) loaded.push(await loadSandboxedExtension(resolve(root, entry), sandbox));
  } catch (e) {
    await Promise.all(loaded.map((l) => l.close()));
    throw e;
  }
  return { dir: root, manifest, extensions: loaded.map((l) => l.extension), sandboxed: loaded };
}
