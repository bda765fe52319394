import type { ExtensionContainer } from './extension-container';
import type { HookSpecs } from './catalogue';
import { ExtensionError, OrderingError } from './errors';
import { extensionMeta, observersOf, type ExtensionClass, type ExtensionLifecycle, type ExtensionMeta } from './extension';
import { runAsExtension } from './extension-context';
import { DEFAULT_LIFECYCLE_TIMEOUT_MS, runLifecycle } from './extension-lifecycle';
import type { DisableOptions, ExtensionInfo, ExtensionManagerOptions, ExtensionState, ExtensionStateStore } from './extension-info';
import { requiresCycle, requiresCycleError } from './extension-requires';
import type { HookBus, Unregister } from './hook-bus';

export type { ExtensionState, ExtensionInfo, ExtensionStateStore, ExtensionManagerOptions, DisableOptions } from './extension-info';

interface Installed {
  readonly meta: ExtensionMeta;
  readonly cls: ExtensionClass;
  instance: (object & ExtensionLifecycle) | undefined;
  state: ExtensionState;
  error?: string;
  reason?: string;
  hooks: string[];
  undo: Unregister[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Installs extension classes into a {@link HookBus} through an inversify container and
 * manages their lifecycle. Raises `ExtEnabled` / `ExtDisabled` (when the catalogue has
 * them) after the fact, with the {@link ExtensionInfo} as the only argument.
 *
 * A failing extension (constructor, `onEnable`) never takes the host down: it is marked
 * `failed`, the others are untouched, and the thrown {@link ExtensionError} names it.
 *
 * @example
 * ```ts
 * const manager = new ExtensionManager({ bus, container });
 * await manager.install(AuditExtension);
 * await manager.disable('audit');   // listeners stay registered, skipped, order kept
 * await manager.enable('audit');
 * await manager.unregister('audit'); // every listener removed in one step
 * ```
 */
export class ExtensionManager<T extends HookSpecs> {
  private readonly installed = new Map<string, Installed>();
  private readonly bus: HookBus<T>;
  private readonly container: ExtensionContainer;
  private readonly store?: ExtensionStateStore;
  private readonly lifecycleTimeoutMs: number;

  constructor(options: ExtensionManagerOptions<T>) {
    this.bus = options.bus;
    this.container = options.container;
    this.store = options.store;
    this.lifecycleTimeoutMs = options.lifecycleTimeoutMs ?? DEFAULT_LIFECYCLE_TIMEOUT_MS;
  }

  /**
   * Installs an extension: resolves it from the container, registers its `@observe`
   * listeners and enables it unless the store (or `options.enabled`) says otherwise.
   */
  async install(cls: ExtensionClass, options: { enabled?: boolean } = {}): Promise<ExtensionInfo> {
    const meta = extensionMeta(cls);
    if (this.installed.has(meta.name)) {
      throw new ExtensionError('PB_EXT_DUPLICATE', `Extension "${meta.name}" is already installed; unregister it first.`, { extension: meta.name });
    }
    const observers = observersOf(cls);
    const rec: Installed = { meta, cls, instance: undefined, state: 'disabled', hooks: [...new Set(observers.map((o) => o.hook))], undo: [] };
    for (const o of observers) {
      if (!this.bus.has(o.hook)) {
        throw new ExtensionError('PB_EXT_INVALID', `Extension "${meta.name}" observes hook "${o.hook}", which is not in this host's catalogue.`, { extension: meta.name, hook: o.hook });
      }
    }
    this.installed.set(meta.name, rec);
    // Disabled until enabled below, so no listener runs half-installed.
    this.bus.disableExtension(meta.name);

    try {
      if (!this.container.isBound(cls)) this.container.bind(cls).toSelf().inSingletonScope();
      rec.instance = runAsExtension(meta.name, () => this.container.get<object>(cls));
    } catch (cause) {
      rec.state = 'failed';
      rec.error = message(cause);
      throw new ExtensionError('PB_EXT_CONSTRUCT_FAILED', `Extension "${meta.name}" could not be constructed: ${rec.error}. The host and other extensions keep running; fix it and reinstall.`, {
        extension: meta.name,
        cause,
      });
    }

    try {
      const instance = rec.instance as Record<string | symbol, unknown>;
      for (const o of observers) {
        const method = instance[o.method];
        if (typeof method !== 'function') {
          throw new ExtensionError('PB_EXT_INVALID', `Extension "${meta.name}": @observe on "${String(o.method)}" is not a method.`, { extension: meta.name, hook: o.hook });
        }
        const bound = (method as (...a: unknown[]) => unknown).bind(instance);
        Object.defineProperty(bound, 'name', { value: `${meta.name}.${String(o.method)}` });
        // Unknown names are refused by the bus (PB_ORDER_UNKNOWN); installAll declares its batch first.
        const before = o.options.before ?? meta.before;
        const after = o.options.after ?? meta.after;
        rec.undo.push(
          this.bus.on(o.hook as never, bound as never, {
            extension: meta.name,
            origin: 'observe',
            priority: o.options.priority ?? meta.priority ?? 0,
            before,
            after,
            timeoutMs: o.options.timeoutMs,
          }),
        );
      }
    } catch (cause) {
      for (const u of rec.undo) u();
      rec.undo = [];
      rec.state = 'failed';
      rec.error = message(cause);
      throw cause instanceof ExtensionError || cause instanceof OrderingError
        ? cause
        : new ExtensionError('PB_EXT_INVALID', `Extension "${meta.name}" could not register its listeners: ${rec.error}`, { extension: meta.name, cause });
    }

    const wanted = (await this.store?.load(meta.name)) ?? options.enabled ?? true;
    if (wanted) await this.enable(meta.name);
    else {
      const reason = await this.store?.reason?.(meta.name);
      if (reason !== undefined) rec.reason = reason;
    }
    return this.info(rec);
  }

  /**
   * Installs several extensions; every one is attempted. Fails with an `AggregateError`
   * of the {@link ExtensionError}s when any failed (the others stay installed).
   */
  async installAll(classes: readonly ExtensionClass[]): Promise<ExtensionInfo[]> {
    // Declare all names first so before/after may reference extensions installed later.
    for (const cls of classes) this.bus.declareExtension(extensionMeta(cls).name);
    const infos: ExtensionInfo[] = [];
    const errors: unknown[] = [];
    for (const cls of classes) {
      try {
        infos.push(await this.install(cls));
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} of ${classes.length} extension(s) failed to install; see .errors. The others are installed.`);
    return infos;
  }

  private get(name: string): Installed {
    const rec = this.installed.get(name);
    if (rec === undefined) {
      throw new ExtensionError('PB_EXT_UNKNOWN', `No extension named "${name}" is installed (installed: ${[...this.installed.keys()].join(', ') || 'none'}).`, { extension: name });
    }
    return rec;
  }

  /** Enables an extension: checks `requires`, runs `onEnable`, then raises `ExtEnabled`. */
  async enable(name: string): Promise<ExtensionInfo> {
    return this.turnOn(name, true);
  }

  /**
   * Brings an installed extension to the state its store holds, without saving it again: for a
   * host whose other processes share the store and announce their changes (saving here would
   * announce it back). Unknown names and a store without a saved state leave everything as is.
   *
   * @example
   * ```ts
   * await db.listen('extensions', (name) => void manager.applyStored(name));
   * ```
   */
  async applyStored(name: string): Promise<ExtensionInfo | undefined> {
    const rec = this.installed.get(name);
    if (rec === undefined || rec.state === 'failed') return rec && this.info(rec);
    const wanted = await this.store?.load(name);
    if (wanted === undefined || wanted === (rec.state === 'enabled')) return this.info(rec);
    return wanted ? this.turnOn(name, false) : this.turnOff(name, await this.store?.reason?.(name), false);
  }

  private async turnOn(name: string, persist: boolean): Promise<ExtensionInfo> {
    const rec = this.get(name);
    if (rec.state === 'enabled') return this.info(rec);
    if (rec.instance === undefined) {
      throw new ExtensionError('PB_EXT_ENABLE_FAILED', `Extension "${name}" failed at install (${rec.error ?? 'unknown'}); reinstall it before enabling.`, { extension: name });
    }
    const cycle = requiresCycle(name, (n) => this.installed.get(n)?.meta.requires);
    if (cycle !== undefined) throw requiresCycleError(cycle);
    const missing = (rec.meta.requires ?? []).filter((r) => this.installed.get(r)?.state !== 'enabled');
    if (missing.length > 0) {
      const why = missing.map((r) => `"${r}" is ${this.installed.has(r) ? 'not enabled' : 'not installed'}`).join(', ');
      throw new ExtensionError('PB_EXT_REQUIRES', `Extension "${name}" requires ${missing.map((r) => `"${r}"`).join(', ')}: ${why}. Install and enable those first.`, { extension: name });
    }
    try {
      await runLifecycle(name, rec.instance, 'onEnable', this.lifecycleTimeoutMs);
    } catch (cause) {
      rec.state = 'failed';
      rec.error = message(cause);
      if (cause instanceof ExtensionError) throw cause;
      throw new ExtensionError('PB_EXT_ENABLE_FAILED', `Extension "${name}" failed to enable: ${rec.error}. It stays disabled; the host and other extensions are unaffected.`, {
        extension: name,
        cause,
      });
    }
    rec.state = 'enabled';
    delete rec.error;
    delete rec.reason;
    this.bus.enableExtension(name);
    if (persist) await this.store?.save(name, true);
    const info = this.info(rec);
    await this.raise('ExtEnabled', info);
    return info;
  }

  /**
   * Disables an extension: its listeners stay registered (order kept) but are skipped; raises
   * `ExtDisabled`. The state (and `options.reason`) is persisted.
   */
  async disable(name: string, options: DisableOptions = {}): Promise<ExtensionInfo> {
    return this.turnOff(name, options.reason, true);
  }

  private async turnOff(name: string, reason: string | undefined, persist: boolean): Promise<ExtensionInfo> {
    const rec = this.get(name);
    if (rec.state !== 'enabled') return this.info(rec);
    const dependants = [...this.installed.values()].filter((r) => r.state === 'enabled' && (r.meta.requires ?? []).includes(name)).map((r) => r.meta.name);
    if (dependants.length > 0) {
      throw new ExtensionError('PB_EXT_REQUIRED_BY', `Extension "${name}" is required by enabled extension(s) ${dependants.map((d) => `"${d}"`).join(', ')}; disable those first.`, {
        extension: name,
      });
    }
    this.bus.disableExtension(name);
    rec.state = 'disabled';
    if (reason !== undefined) rec.reason = reason;
    if (persist) await this.store?.save(name, false, reason);
    const info = this.info(rec);
    try {
      await runLifecycle(name, rec.instance, 'onDisable', this.lifecycleTimeoutMs);
    } catch (cause) {
      throw new ExtensionError('PB_EXT_DISABLE_FAILED', `Extension "${name}" is disabled, but its onDisable failed: ${message(cause)}.`, { extension: name, cause });
    } finally {
      await this.raise('ExtDisabled', info);
    }
    return info;
  }

  /**
   * Disables (if enabled) and removes an extension with every listener it had. The persisted
   * state is left as it was, so reinstalling brings it back as it was before (enabled unless
   * an administrator had disabled it).
   */
  async unregister(name: string): Promise<void> {
    const rec = this.get(name);
    try {
      if (rec.state === 'enabled') await this.turnOff(name, undefined, false);
    } finally {
      for (const u of rec.undo) u();
      this.bus.removeExtension(name);
      this.installed.delete(name);
      if (this.container.isBound(rec.cls)) this.container.unbind(rec.cls);
    }
  }

  /** Every installed extension with its state, in installation order. */
  list(): ExtensionInfo[] {
    return [...this.installed.values()].map((r) => this.info(r));
  }

  /** One extension's info, or undefined. */
  find(name: string): ExtensionInfo | undefined {
    const rec = this.installed.get(name);
    return rec ? this.info(rec) : undefined;
  }

  /** The extension's instance (e.g. to read state it exposes), or undefined. */
  instance<I extends object = object>(name: string): I | undefined {
    return this.installed.get(name)?.instance as I | undefined;
  }

  private info(rec: Installed): ExtensionInfo {
    const base = { name: rec.meta.name, version: rec.meta.version, requires: rec.meta.requires ?? [], state: rec.state, hooks: rec.hooks };
    return {
      ...base,
      ...(rec.meta.description !== undefined ? { description: rec.meta.description } : {}),
      ...(rec.error !== undefined ? { error: rec.error } : {}),
      ...(rec.reason !== undefined ? { reason: rec.reason } : {}),
    };
  }

  private async raise(hook: 'ExtEnabled' | 'ExtDisabled', info: ExtensionInfo): Promise<void> {
    if (!this.bus.has(hook)) return;
    // The catalogue's own ExtEnabled/ExtDisabled declaration decides the policy.
    const untyped = this.bus as unknown as { call(name: string, ...args: unknown[]): unknown };
    await untyped.call(hook, info);
  }
}
