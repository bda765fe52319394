import { resolve } from 'node:path';
import { defineObservers, extension, type ExtensionClass, type ObserverMeta } from '../extension';
import type { SandboxManifest } from './protocol';
import { Sandbox, workerLimits, type SandboxOptions } from './sandbox';
import { SandboxError } from './sandbox-errors';
import { SandboxWorker } from './sandbox-worker';

/** A sandboxed extension: the class to install, and its worker's state. */
export interface SandboxedExtension {
  readonly name: string;
  /** Pass it to `ExtensionManager.install()` like any extension class. */
  readonly extension: ExtensionClass;
  /** Restarts so far (after a CPU, heap, exit or crash failure). */
  readonly restarts: number;
  /** Set once the restart budget is spent. */
  readonly gaveUp: SandboxError | undefined;
  /** Terminates the worker (unregister the extension first). */
  close(): Promise<void>;
}

function checkHooks(manifest: SandboxManifest, options: SandboxOptions): void {
  const specs = new Map(Object.values(options.catalogue).map((ref) => [ref.name, ref.spec]));
  for (const l of manifest.listeners) {
    const spec = specs.get(l.hook);
    if (spec === undefined) {
      throw new SandboxError('PB_SANDBOX_LOAD_FAILED', `Sandboxed extension "${manifest.name}" observes hook "${l.hook}", which is not in the host's catalogue.`, { extension: manifest.name, hook: l.hook });
    }
    if (!spec.async) {
      throw new SandboxError('PB_SANDBOX_SYNC_HOOK', `Sandboxed extension "${manifest.name}" observes synchronous hook "${l.hook}"; a worker cannot answer a synchronous call. Observe async hooks only, or run the extension unsandboxed.`, { extension: manifest.name, hook: l.hook });
    }
  }
}

/** The installable class: each listener forwards its arguments (not the context) to the worker. */
function proxyClass(sandbox: Sandbox): ExtensionClass {
  const m = sandbox.manifest;
  class Sandboxed {
    onEnable(): Promise<void> {
      return sandbox.lifecycle('onEnable');
    }
    onDisable(): Promise<void> {
      return sandbox.lifecycle('onDisable');
    }
  }
  Object.defineProperty(Sandboxed, 'name', { value: `Sandboxed(${m.name})` });
  const proto = Sandboxed.prototype as unknown as Record<symbol, unknown>;
  const observers: ObserverMeta[] = m.listeners.map((l) => {
    const method = Symbol(l.hook);
    // Async listeners get their context last; it holds an AbortSignal, which cannot be cloned.
    proto[method] = (...withContext: unknown[]) => sandbox.call(l.index, l.hook, withContext.slice(0, -1));
    const options = { priority: l.priority, before: l.before, after: l.after, timeoutMs: l.timeoutMs };
    return { hook: l.hook, method, options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  });
  const meta = { name: m.name, version: m.version, requires: m.requires, description: m.description, priority: m.priority, before: m.before, after: m.after };
  extension(Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as { name: string; version: string })(Sandboxed);
  defineObservers(Sandboxed, observers);
  return Sandboxed as unknown as ExtensionClass;
}

/**
 * Loads an untrusted extension module into a worker thread with a heap limit and a CPU limit per
 * call; only structured-cloneable arguments and results cross, and the only host functions it
 * can reach are `options.services`. Returns a class to install like any other: its listeners
 * forward to the worker, which is terminated and restarted when a call exceeds a limit or it
 * exits, within a restart budget. Not a security boundary: see docs/sandbox.md.
 *
 * @throws SandboxError `PB_SANDBOX_LOAD_FAILED` (throws at import, no extension, injects
 *   services, unknown hook) or `PB_SANDBOX_SYNC_HOOK`.
 * @example
 * ```ts
 * const ext = await loadSandboxedExtension('/srv/ext/stats/dist/index.js', { catalogue: hostHooks, services: { log: (m) => logger.info(m) } });
 * await manager.install(ext.extension);
 * // later: await manager.unregister(ext.name); await ext.close();
 * ```
 */
export async function loadSandboxedExtension(file: string, options: SandboxOptions): Promise<SandboxedExtension> {
  const path = resolve(file);
  // The first worker may die before the sandbox that owns it exists; then there is nothing to restart.
  const owner: { sandbox?: Sandbox } = {};
  const first = new SandboxWorker(path, options.extension, workerLimits(options), (e) => owner.sandbox?.died(e));
  let manifest: SandboxManifest;
  try {
    manifest = await first.ready;
    checkHooks(manifest, options);
  } catch (e) {
    await first.close();
    throw e;
  }
  const s = new Sandbox(path, manifest, first, options);
  owner.sandbox = s;
  const cls = proxyClass(s);
  return {
    name: manifest.name,
    extension: cls,
    get restarts() {
      return s.restarts;
    },
    get gaveUp() {
      return s.gaveUp;
    },
    close: () => s.close(),
  };
}
