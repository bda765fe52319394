import type { ArgsOf, CallResult, CallValue, HookCatalogue, HookName, HookSpecs, Listener } from './catalogue';
import type { HookHandle, HookBusOptions, Interceptor, ListenerOptions, Unregister } from './bus-options';
import { InvalidDefinitionError, UnknownHookError } from './errors';
import type { CallOptions, HookOverrides, HookRuntime, RuntimeHost } from './hook-runtime';
import { createEntry, type ExtensionSlot } from './listener-entry';
import type { CallOutcome, HookPlan, ListenerOrigin } from './report';
import { checkOrderNames } from './ordering';
import { buildRuntimes } from './runtime/build-runtimes';
import { InterceptorChain } from './runtime/interceptor-chain';
import { watchTracing } from './tracing/tracing-switch';

export type { HookHandle, HookBusOptions, Interceptor, ListenerOptions, Unregister } from './bus-options';

type ListenerInfo = { hook: string; listener: string; origin: ListenerOrigin };

/**
 * The hook bus: registers listeners against a typed catalogue and calls them.
 *
 * Result semantics (pluggy-style, documented and tested):
 * - `notify` → `undefined`; every enabled listener runs, in dispatch order.
 * - `collect` → one flat array: each listener's value (or each element of the list it
 *   returned) in dispatch order; `undefined` is skipped; no listeners → `[]`.
 * - `merge` → one object: keys of every listener's object; a key returned twice is a
 *   conflict (the earlier listener's value is kept).
 * Dispatch order: `priority` (higher first), then registration order; `before`/`after` are met
 * by a stable topological sort. Async listeners start in that order and run concurrently unless
 * the hook is `series`; results follow dispatch order. Failures: see `runtime/failure-policy.ts`.
 *
 * @example
 * ```ts
 * const hooks = defineHooks({ GetAnnouncement: collect<[target: string], string>() });
 * const bus = new HookBus(hooks);
 * const off = bus.on('GetAnnouncement', (target) => `hello from ${target}`, { extension: 'greeter' });
 * bus.call('GetAnnouncement', 'loginpage'); // ['hello from loginpage']
 * off();
 * bus.call('GetAnnouncement', 'loginpage'); // []
 * ```
 */
export class HookBus<T extends HookSpecs> {
  private readonly runtimes = new Map<string, HookRuntime>();
  private readonly byIndex: HookRuntime[] = []; // the index each slot's `counts` uses
  private readonly slots = new Map<string, ExtensionSlot>();
  private readonly interceptors: InterceptorChain;
  private readonly handles = new Map<string, { name: string; call: (...args: unknown[]) => unknown }>();
  private readonly host: RuntimeHost;
  private seq = 0;
  private readonly onError: (error: Error) => void;

  constructor(catalogue: HookCatalogue<T>, options: HookBusOptions<T> = {}) {
    this.onError = options.onError ?? ((error) => console.error(error));
    const perExtension = new Map(Object.entries(options.extensions ?? {}).map(([name, o]) => [name, o.timeoutMs]));
    this.host = {
      defaultTimeoutMs: options.timeoutMs,
      extensionTimeoutMs: (extension) => perExtension.get(extension),
      onError: (error) => this.report(error),
      runBefore: (hook, args) => this.interceptors.before(hook, args),
      runAfter: (record) => this.interceptors.after(record),
    };
    this.interceptors = new InterceptorChain(
      (error) => this.report(error),
      (on, traced) => {
        for (const rt of this.byIndex) rt.setIntercepted(on, traced);
      },
    );
    for (const rt of buildRuntimes(catalogue, this.host, (options.hooks ?? {}) as Readonly<Record<string, HookOverrides | undefined>>)) {
      this.runtimes.set(rt.name, rt);
      this.byIndex.push(rt);
    }
    watchTracing(this.interceptors);
  }

  private report(error: Error): void {
    try {
      this.onError(error);
    } catch {
      // An error sink that throws must not break dispatch.
    }
  }

  private runtime(name: string): HookRuntime {
    const rt = this.runtimes.get(name);
    if (rt === undefined) throw new UnknownHookError(name);
    return rt;
  }

  /** The extension's slot, made known (again) if it was not. */
  private slot(name: string): ExtensionSlot {
    let s = this.slots.get(name);
    if (s === undefined) {
      if (typeof name !== 'string' || name.trim() === '') {
        throw new InvalidDefinitionError(`ListenerOptions.extension must be a non-empty string naming the extension; got ${JSON.stringify(name)}.`);
      }
      s = { name, enabled: true, known: true, counts: new Array<number>(this.byIndex.length).fill(0) };
      this.slots.set(name, s);
    } else if (!s.known) {
      s.known = true;
      s.enabled = true;
    }
    return s;
  }

  /**
   * Registers `listener` on hook `name` for `options.extension`; returns its own undo.
   * Throws `OrderingError` when `before`/`after` name an unknown extension or form a cycle.
   */
  on<K extends HookName<T>>(name: K, listener: Listener<T[K]>, options: ListenerOptions): Unregister {
    const rt = this.runtime(name);
    if (typeof listener !== 'function') {
      throw new InvalidDefinitionError(`The listener for hook "${name}" must be a function; got ${typeof listener}.`, { hook: name, extension: options.extension });
    }
    if (options.before?.length || options.after?.length) checkOrderNames(name, options, (other) => this.slots.get(other)?.known === true);
    const entry = createEntry(listener as (...args: unknown[]) => unknown, this.slot(options.extension), this.seq++, options, rt.spec.async);
    rt.add(entry);
    return () => {
      rt.removeEntry(entry);
    };
  }

  /** Makes an extension name known (so others may order themselves relative to it) before it registers. */
  declareExtension(name: string): void {
    this.slot(name);
  }

  /** Removes every registration of `listener` on hook `name`; returns how many. */
  off<K extends HookName<T>>(name: K, listener: Listener<T[K]>): number {
    return this.runtime(name).removeWhere((e) => e.registered(listener));
  }

  /** Whether `listener` is registered on hook `name`. */
  isRegistered<K extends HookName<T>>(name: K, listener: Listener<T[K]>): boolean {
    return this.runtime(name).entries.some((e) => e.registered(listener));
  }

  /**
   * Removes every listener of an extension, however registered, but keeps the extension
   * known (its enabled state and its place in others' `before`/`after`); returns how many.
   */
  removeListeners(extension: string): number {
    const slot = this.slots.get(extension);
    if (slot === undefined) return 0;
    let removed = 0;
    const counts = slot.counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] > 0) removed += this.byIndex[i].removeSlot(slot);
    return removed;
  }

  /** Every listener of an extension: hook, listener name and how it was registered. */
  listenersOf(extension: string): ListenerInfo[] {
    const out: ListenerInfo[] = [];
    for (const rt of this.runtimes.values()) {
      for (const e of rt.entries) if (e.extension === extension) out.push({ hook: rt.name, listener: e.label, origin: e.origin });
    }
    return out;
  }

  /** Removes every listener of an extension from every hook in one step; returns how many. */
  removeExtension(extension: string): number {
    const slot = this.slots.get(extension);
    if (slot === undefined) return 0;
    const removed = this.removeListeners(extension);
    // Forgotten but kept (it has no listeners left), so that registering again, as in unregister/re-register churn, allocates nothing.
    slot.known = false;
    slot.enabled = true;
    return removed;
  }

  /** Skips an extension's listeners (they keep their place in the order). */
  disableExtension(extension: string): void {
    this.setEnabled(extension, false);
  }

  /** Runs an extension's listeners again, in the places they had. */
  enableExtension(extension: string): void {
    this.setEnabled(extension, true);
  }

  /** Whether the extension's listeners run (unknown extensions are enabled by default). */
  isExtensionEnabled(extension: string): boolean {
    return this.slots.get(extension)?.enabled ?? true;
  }

  private setEnabled(extension: string, enabled: boolean): void {
    const slot = this.slot(extension);
    if (slot.enabled === enabled) return;
    slot.enabled = enabled;
    for (let i = 0; i < slot.counts.length; i++) if (slot.counts[i] > 0) this.byIndex[i].extensionToggled(slot);
  }

  /**
   * Calls hook `name`. Returns what the hook's kind aggregates (a promise for async hooks).
   * Errors follow the hook's policy.
   */
  call<K extends HookName<T>>(name: K, ...args: ArgsOf<T[K]>): CallResult<T[K]>;
  /* eslint-disable prefer-rest-params -- a rest parameter would allocate an array on every call */
  call(name: string, _a0?: unknown, _a1?: unknown, _a2?: unknown): unknown {
    // `arguments` instead of a rest parameter: a hot call jumps to the compiled
    // dispatcher without allocating an argument array.
    const rt = this.runtimes.get(name);
    if (rt === undefined) throw new UnknownHookError(name);
    const n = arguments.length - 1;
    const fast = rt.fast;
    if (fast !== undefined && n === rt.fastArity) {
      switch (n) {
        case 0:
          return fast();
        case 1:
          return fast(arguments[1]);
        case 2:
          return fast(arguments[1], arguments[2]);
        case 3:
          return fast(arguments[1], arguments[2], arguments[3]);
      }
    }
    const args = new Array<unknown>(n);
    for (let i = 0; i < n; i++) args[i] = arguments[i + 1];
    return rt.call(args);
  }
  /* eslint-enable prefer-rest-params */

  /**
   * Calls hook `name` with per-call options and returns the result with a report of
   * every listener (extension, ok/error/timeout/skipped, duration).
   */
  invoke<K extends HookName<T>>(
    name: K,
    args: ArgsOf<T[K]>,
    options?: CallOptions,
  ): T[K]['async'] extends true ? Promise<CallOutcome<CallValue<T[K]>>> : CallOutcome<CallValue<T[K]>> {
    return this.runtime(name).invoke([...(args as unknown as unknown[])], options, true) as T[K]['async'] extends true
      ? Promise<CallOutcome<CallValue<T[K]>>>
      : CallOutcome<CallValue<T[K]>>;
  }

  /**
   * Invokes a hook named at run time (HTTP, Redis, a stored rule): an unknown name is
   * `PB_UNKNOWN_HOOK`, bad arguments `PB_INVALID_ARGUMENTS`; otherwise {@link HookBus.invoke}.
   * @example
   * ```ts
   * const { result, report } = await bus.invokeByName(message.hook, message.args, { policy: 'isolate' });
   * ```
   */
  async invokeByName(name: string, args: readonly unknown[], options?: CallOptions): Promise<CallOutcome<unknown>> {
    return (await this.runtime(name).invoke([...args], options, true)) as CallOutcome<unknown>;
  }

  /**
   * A handle on one hook whose `call` jumps straight to the hook's current dispatcher
   * (no name lookup). Hold it where one hook is called in a hot loop; it stays valid
   * across registrations, removals and enable/disable.
   *
   * @example
   * ```ts
   * const tick = bus.hook('Tick');
   * for (const n of samples) tick.call(n);
   * ```
   */
  hook<K extends HookName<T>>(name: K): HookHandle<T[K]> {
    const rt = this.runtime(name);
    let handle = this.handles.get(name);
    if (handle === undefined) {
      handle = { name, call: () => undefined };
      rt.attachHandle(handle);
      this.handles.set(name, handle);
    }
    return handle as unknown as HookHandle<T[K]>;
  }

  /** Installs an interceptor that sees every call of every hook; returns its undo. */
  intercept(interceptor: Interceptor): Unregister {
    return this.interceptors.add(interceptor);
  }

  /** The dispatch plan of a hook: listeners in order, and why each sits where it does. */
  explain<K extends HookName<T>>(name: K): HookPlan {
    return this.runtime(name).explain();
  }

  /** Every hook name of the catalogue, in declaration order. */
  names(): HookName<T>[] {
    return [...this.runtimes.keys()] as HookName<T>[];
  }

  /** Whether `name` is a hook of the catalogue (for untyped input such as HTTP or Redis). */
  has(name: string): name is HookName<T> {
    return this.runtimes.has(name);
  }

  /** Resolves when the replays of historic async hooks started so far have finished. */
  async whenReplayed(): Promise<void> {
    await Promise.all(this.byIndex.map((rt) => rt.replaying));
  }

  /** Known extensions and whether each is enabled. */
  extensions(): { name: string; enabled: boolean }[] {
    return [...this.slots.values()].filter((s) => s.known).map((s) => ({ name: s.name, enabled: s.enabled }));
  }
}
