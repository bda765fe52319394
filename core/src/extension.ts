import 'reflect-metadata';
import { injectable } from 'inversify';
import type { HookRef, Listener } from './catalogue';
import { ExtensionError } from './errors';
import type { AnyHookSpec } from './hook-spec';

/** What `@extension` declares about an extension class. */
export interface ExtensionMeta {
  /** Unique name (letters, digits, `-`, `_`, `.`); every listener is attributed to it. */
  readonly name: string;
  readonly version: string;
  /** Extensions that must be installed and enabled before this one can be enabled. */
  readonly requires?: readonly string[];
  readonly description?: string;
  /** Default priority of its listeners (higher runs earlier). */
  readonly priority?: number;
  /** Its listeners run before those of these extensions on every shared hook. */
  readonly before?: readonly string[];
  /** Its listeners run after those of these extensions on every shared hook. */
  readonly after?: readonly string[];
}

/** Per-listener options of `@observe`, overriding the extension's defaults. */
export interface ObserveOptions {
  readonly priority?: number;
  readonly before?: readonly string[];
  readonly after?: readonly string[];
  readonly timeoutMs?: number;
}

/** One `@observe` declaration found on a class. */
export interface ObserverMeta {
  readonly hook: string;
  readonly method: string | symbol;
  readonly options: ObserveOptions;
}

/** Optional lifecycle methods an extension class may implement. */
export interface ExtensionLifecycle {
  /** Runs when the extension is enabled (also at install when enabled); throwing keeps it disabled. */
  onEnable?(): void | Promise<void>;
  /** Runs when the extension is disabled or unregistered. */
  onDisable?(): void | Promise<void>;
}

const EXTENSION_META = Symbol.for('plugboard.extension');
const OBSERVERS = Symbol.for('plugboard.observers');

const NAME_RE = /^[A-Za-z][\w.-]*$/;

/** A class that can be installed as an extension. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters are resolved by inversify
export type ExtensionClass<I extends object = object> = new (...args: any[]) => I;

/**
 * Marks a class as an extension and makes it injectable by inversify.
 *
 * @example
 * ```ts
 * @extension({ name: 'audit', version: '1.0.0' })
 * class Audit {
 *   constructor(@inject(Logger) private readonly log: Logger) {}
 *   @observe(hooks.AccountCreated) created(account: Account) { this.log.info(account.email); }
 * }
 * ```
 */
export function extension(meta: ExtensionMeta): ClassDecorator {
  if (typeof meta?.name !== 'string' || !NAME_RE.test(meta.name)) {
    throw new ExtensionError('PB_EXT_INVALID', `@extension needs a name of letters, digits, '.', '-' or '_' starting with a letter; got ${JSON.stringify(meta?.name)}.`);
  }
  if (typeof meta.version !== 'string' || meta.version === '') {
    throw new ExtensionError('PB_EXT_INVALID', `@extension "${meta.name}" needs a version string.`, { extension: meta.name });
  }
  return (target) => {
    Reflect.defineMetadata(EXTENSION_META, Object.freeze({ ...meta }), target);
    injectable()(target);
  };
}

/**
 * Declares a method as a listener of `hook`. The method's signature is checked against
 * the hook's arguments and result at compile time.
 *
 * @example
 * ```ts
 * @observe(hooks.UserMenuDisplay, { priority: 10 })
 * menu(target: string, user: User): MenuEntry[] { return [{ name: 'stats', label: 'Stats', url: '/stats' }]; }
 * ```
 */
export function observe<N extends string, S extends AnyHookSpec>(hook: HookRef<N, S>, options: ObserveOptions = {}) {
  return <M extends Listener<S>>(target: object, method: string | symbol, _descriptor: TypedPropertyDescriptor<M>): void => {
    const ctor = (target as { constructor: object }).constructor;
    const own: ObserverMeta[] = Reflect.getOwnMetadata(OBSERVERS, ctor) ?? [];
    Reflect.defineMetadata(OBSERVERS, [...own, { hook: hook.name, method, options }], ctor);
  };
}

/** Records listeners on a class as `@observe` would (used by `defineExtension`). */
export function defineObservers(cls: object, observers: readonly ObserverMeta[]): void {
  const own: ObserverMeta[] = Reflect.getOwnMetadata(OBSERVERS, cls) ?? [];
  Reflect.defineMetadata(OBSERVERS, [...own, ...observers], cls);
}

/** True for a class decorated with `@extension` (by any copy of this package: the keys are global symbols). */
export function isExtensionClass(value: unknown): value is ExtensionClass {
  return typeof value === 'function' && Reflect.getMetadata(EXTENSION_META, value) !== undefined;
}

/** The `@extension` metadata of a class; throws a coded error when the class is not decorated. */
export function extensionMeta(cls: ExtensionClass): ExtensionMeta {
  const meta: ExtensionMeta | undefined = Reflect.getMetadata(EXTENSION_META, cls);
  if (meta === undefined) {
    throw new ExtensionError('PB_EXT_INVALID', `Class ${cls.name || '(anonymous)'} is not an extension: decorate it with @extension({ name, version }).`);
  }
  return meta;
}

/** Every `@observe` of a class and its base classes (base first, overridden methods once). */
export function observersOf(cls: ExtensionClass): ObserverMeta[] {
  const chain: object[] = [];
  for (let c: object | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const out: ObserverMeta[] = [];
  const seen = new Set<string>();
  for (const c of chain) {
    for (const o of (Reflect.getOwnMetadata(OBSERVERS, c) ?? []) as ObserverMeta[]) {
      const key = `${o.hook}\u0000${String(o.method)}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(o);
      }
    }
  }
  return out;
}
