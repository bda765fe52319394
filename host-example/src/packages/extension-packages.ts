import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { extensionMeta, importModule, loadExtensionPackage, type ExtensionManager, type HookSpecs, type ModuleImporter, type PackageSandbox, type SandboxedExtension, type SandboxError } from '@plugboard/core';
import type { Logger } from 'pino';
import { HostError } from '../errors';
import { installPackage, packageRoot, uninstallPackage } from './npm-install';
import { MAIL_CATALOGUE } from './catalogue';
import type { PackageStore } from './package-store';

/** What the host knows about one extension package. */
export interface PackageStatus {
  readonly name: string;
  /** Where it came from: `added` (CLI, API, admin page) or `configured` (`PLUGBOARD_EXTENSIONS`). */
  readonly origin: 'added' | 'configured';
  readonly source: string;
  readonly version: string;
  readonly state: 'loaded' | 'failed';
  /** Why it failed: the coded error of the loader or of the manager. */
  readonly error?: { readonly code: string; readonly message: string };
  /** Names of the extensions it installed. */
  readonly extensions: readonly string[];
  /** Its extensions run in sandbox workers (manifest `untrusted`, or the host's configuration). */
  readonly sandboxed?: boolean;
}

/** How the host runs untrusted packages (see core's `PackageSandbox`), minus what each load adds. */
export type HostPackageSandbox = Omit<PackageSandbox, 'onGaveUp' | 'onRestart' | 'services'>;


function codeOf(e: unknown): { code: string; message: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'PB_PKG_IMPORT_FAILED', message: e instanceof Error ? e.message : String(e) };
}

/**
 * Loads extension packages into the running host and keeps them in step with the database:
 * the packages configured for the process (`PLUGBOARD_EXTENSIONS`) and those added with
 * `extensions add` (CLI, API or admin page). A package that cannot be loaded is listed as
 * failed with its coded error; the host and the other extensions keep running.
 *
 * @example
 * ```ts
 * const packages = new ExtensionPackages({ store, manager, dir: './data/extensions', logger });
 * await packages.loadAll(['./my-extension']);
 * packages.list(); // [{ name: 'my-extension', state: 'loaded', extensions: ['welcome'], … }]
 * ```
 */
export class ExtensionPackages<T extends HookSpecs> {
  private readonly status = new Map<string, PackageStatus & { readonly path: string; readonly workers?: readonly SandboxedExtension[] }>();
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: { store: PackageStore; manager: ExtensionManager<T>; dir: string; logger: Logger; sandbox?: HostPackageSandbox },
  ) {}

  /** Every package, loaded or failed, configured ones first. */
  list(): PackageStatus[] {
    return [...this.status.values()].map(({ path: _path, workers: _workers, ...s }) => s);
  }

  /** Loads the configured packages (paths or names), then those recorded in the database. */
  async loadAll(configured: readonly string[] = []): Promise<void> {
    for (const source of configured) await this.load({ name: source, source, version: '', origin: 'configured', path: this.configuredPath(source) });
    await this.reconcile();
  }

  /** Brings the loaded packages in step with the database: loads what was added, unloads what was removed. */
  reconcile(): Promise<void> {
    const next = this.queue.then(() => this.reconcileNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reconcileNow(): Promise<void> {
    const wanted = new Map((await this.options.store.list()).map((r) => [r.name, r]));
    for (const s of [...this.status.values()]) {
      const w = wanted.get(s.name);
      if (s.origin === 'added' && (w === undefined || w.version !== s.version || w.source !== s.source)) await this.unload(s.name);
    }
    for (const r of wanted.values()) {
      if (!this.status.has(r.name)) await this.load({ ...r, origin: 'added', path: join(this.options.dir, 'node_modules', r.name) });
    }
  }

  private configuredPath(source: string): string {
    if (isAbsolute(source) || source.startsWith('.')) return resolve(source);
    const installed = join(this.options.dir, 'node_modules', source);
    return existsSync(installed) ? installed : packageRoot(source);
  }

  private async load(p: { name: string; source: string; version: string; origin: PackageStatus['origin']; path: string }): Promise<void> {
    const generation = ++this.generation;
    // A new version per load: a re-added package runs its new code, not the cached module.
    const importer: ModuleImporter = (file) => importModule(file, generation);
    this.forgetModules(p.path);
    const installed: string[] = [];
    let workers: readonly SandboxedExtension[] = [];
    try {
      const pkg = await loadExtensionPackage(p.path, MAIL_CATALOGUE, { importer, ...(this.options.sandbox ? { sandbox: this.sandboxFor(p.name) } : {}) });
      workers = pkg.sandboxed;
      for (const ext of pkg.extensions) {
        await this.options.manager.install(ext);
        installed.push(extensionMeta(ext).name);
      }
      const sandboxed = workers.length > 0 ? { sandboxed: true, workers } : {};
      this.status.set(pkg.manifest.packageName, { ...p, name: pkg.manifest.packageName, version: pkg.manifest.packageVersion, state: 'loaded', extensions: installed, ...sandboxed });
      this.options.logger.info({ package: pkg.manifest.packageName, extensions: installed }, `extension package ${pkg.manifest.packageName} loaded`);
    } catch (e) {
      for (const name of installed) await this.options.manager.unregister(name).catch(() => undefined);
      await Promise.all(workers.map((w) => w.close()));
      this.status.set(p.name, { ...p, state: 'failed', error: codeOf(e), extensions: [] });
      this.options.logger.error({ package: p.name, code: codeOf(e).code }, `extension package ${p.name} failed: ${codeOf(e).message}`);
    }
  }

  /**
   * The sandbox of one package: a log service (the only host function it reaches), restarts
   * logged, and an extension whose sandbox gives up disabled with the reason recorded.
   */
  private sandboxFor(source: string): PackageSandbox {
    const { logger, manager } = this.options;
    return {
      ...(this.options.sandbox as HostPackageSandbox),
      services: { log: (message: unknown) => logger.info({ package: source }, String(message)) },
      onRestart: (extension: string, e: SandboxError) => logger.warn({ extension, code: e.code }, `sandboxed extension ${extension} restarted: ${e.message}`),
      onGaveUp: (extension: string, e: SandboxError) => {
        const cause = (e.cause as { code?: string } | undefined)?.code ?? e.code;
        manager.disable(extension, { reason: `sandbox gave up after repeated failures (${cause})` }).catch((err: unknown) => logger.error({ err, extension }, 'could not disable a sandboxed extension that gave up'));
      },
    };
  }

  /**
   * Installs a package (path, tarball or registry spec) into the extensions directory, records
   * it and loads it; every process sharing the database picks it up (see {@link watch}).
   */
  async add(source: string): Promise<PackageStatus> {
    const { name, version } = await installPackage(this.options.dir, source);
    await this.options.store.save({ name, source, version });
    await this.reconcile();
    return this.list().find((s) => s.name === name) as PackageStatus;
  }

  /** Unloads, forgets and uninstalls an added package. @throws HostError 404 when it was not added. */
  async remove(name: string): Promise<void> {
    if (!(await this.options.store.remove(name))) {
      throw new HostError('PB_HOST_NOT_FOUND', `No extension package "${name}" was added; "extensions list" shows the packages.`);
    }
    await this.reconcile();
    await uninstallPackage(this.options.dir, name);
  }

  /**
   * Notices packages added or removed by another process (the CLI) within `intervalMs`: SQLite's
   * `data_version` changes only when another connection commits, so an idle host does one cheap
   * pragma per tick and no query. Returns the function that stops watching.
   */
  watch(dataVersion: () => number, intervalMs = 500): () => void {
    let seen = dataVersion();
    const timer = setInterval(() => {
      const now = dataVersion();
      if (now === seen) return;
      seen = now;
      this.reconcile().catch((e: unknown) => this.options.logger.error({ err: e }, 'could not reload extension packages'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Unregisters a package's extensions and forgets it. */
  async unload(name: string): Promise<void> {
    const s = this.status.get(name);
    if (s === undefined) return;
    for (const ext of s.extensions) await this.options.manager.unregister(ext).catch((e: unknown) => this.options.logger.error({ err: e }, `could not unregister ${ext}`));
    await Promise.all((s.workers ?? []).map((w) => w.close()));
    this.status.delete(name);
    this.forgetModules(s.path);
    this.options.logger.info({ package: name }, `extension package ${name} unloaded`);
  }

  /** Ends the sandbox workers of every loaded package (the host is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.status.values()].flatMap((s) => (s.workers ?? []).map((w) => w.close())));
  }

  /** Drops the package's CommonJS modules from require's cache, so loading it again runs its new code. */
  private forgetModules(path: string): void {
    const prefix = resolve(path) + sep;
    // require.cache is keyed by file name: deleting an entry is how Node documents reloading a module.
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
    for (const key of Object.keys(require.cache)) if (key.startsWith(prefix)) delete require.cache[key];
  }
}
