import { inject } from 'inversify';
import type { ServiceId } from './extension-container';
import type { HookCatalogue, HookSpecs, Listener } from './catalogue';
import { ExtensionError } from './errors';
import { defineObservers, extension, type ExtensionClass, type ExtensionLifecycle, type ExtensionMeta } from './extension';

/** Services an extension asks for: property name → inversify service identifier. */
export type Injections = Readonly<Record<string, ServiceId>>;

/** The services as `this` sees them: a class token gives its instance type. */
export type Injected<I extends Injections> = {
  readonly [K in keyof I]: I[K] extends abstract new (...args: never[]) => infer X ? X : unknown;
};

/** Listeners by hook name, each typed by its hook; `this` is the extension (its services). */
export type HookListeners<T extends HookSpecs> = { readonly [K in keyof T]?: Listener<T[K]> };

/** What {@link defineExtension} takes: `@extension` metadata, services, listeners and lifecycle. */
export interface ExtensionDefinitionInput<T extends HookSpecs, I extends Injections> extends ExtensionMeta {
  /** Services to inject, available as `this.<name>` in listeners and lifecycle methods. */
  readonly inject?: I;
  /** One listener per observed hook, by hook name (checked against the catalogue). */
  readonly hooks: HookListeners<T> & ThisType<Injected<I>>;
  readonly onEnable?: (this: Injected<I>) => void | Promise<void>;
  readonly onDisable?: (this: Injected<I>) => void | Promise<void>;
}

const DEFINITION = Symbol.for('plugboard.extension-definition');

/**
 * An extension made by {@link defineExtension}: a class like a decorated one (so the manager,
 * the container and `installAll` take it unchanged), branded so tools can tell how it was made.
 */
export type ExtensionDefinition = ExtensionClass & { readonly [DEFINITION]: true };

/** True for a value made by {@link defineExtension} (by any copy of this package). */
export function isExtensionDefinition(value: unknown): value is ExtensionDefinition {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[DEFINITION] === true;
}

type Definer<T extends HookSpecs> = <I extends Injections = Record<never, never>>(definition: ExtensionDefinitionInput<T, I>) => ExtensionDefinition;

/**
 * Writes an extension without decorators, typed against a catalogue with the same checks as
 * `@observe`: an unknown hook name, a wrong listener signature or result is a compile error.
 * Works where decorator metadata is not emitted (tsx, esbuild, plain JavaScript), because
 * services are named explicitly in `inject` rather than read from constructor types.
 *
 * Pass the catalogue, or only its type (`defineExtension<typeof hooks>()({...})`) when the
 * extension should not depend on the host's catalogue at run time: hooks are bound by name.
 *
 * @example
 * ```ts
 * export default defineExtension(hooks, {
 *   name: 'welcome', version: '1.0.0',
 *   inject: { mailer: Mailer },
 *   hooks: {
 *     AccountCreated(account) { this.mailer.send(account.email); },
 *     UserMenuDisplay(target) { return target === 'top_menu' ? [{ name: 'welcome', label: 'Welcome', url: '/welcome' }] : []; },
 *   },
 * });
 * ```
 */
export function defineExtension<C extends HookCatalogue<HookSpecs>>(): Definer<C extends HookCatalogue<infer T> ? T : never>;
export function defineExtension<T extends HookSpecs, I extends Injections = Record<never, never>>(hooks: HookCatalogue<T>, definition: ExtensionDefinitionInput<T, I>): ExtensionDefinition;
export function defineExtension(hooks?: unknown, definition?: ExtensionDefinitionInput<HookSpecs, Injections>): ExtensionDefinition | Definer<HookSpecs> {
  if (hooks === undefined) return (def) => buildExtension(def as ExtensionDefinitionInput<HookSpecs, Injections>);
  if (definition === undefined) throw new ExtensionError('PB_EXT_INVALID', 'defineExtension(hooks, definition) needs the definition as its second argument.');
  return buildExtension(definition);
}

function buildExtension(def: ExtensionDefinitionInput<HookSpecs, Injections>): ExtensionDefinition {
  const listeners = def.hooks as Readonly<Record<string, unknown>> | undefined;
  if (listeners === undefined || typeof listeners !== 'object') {
    throw new ExtensionError('PB_EXT_INVALID', `Extension "${String(def.name)}" needs a hooks object: { HookName(...args) { … } }.`, { extension: def.name });
  }
  const services = Object.entries(def.inject ?? {});
  class Defined {
    constructor(...resolved: unknown[]) {
      services.forEach(([key], i) => Object.defineProperty(this, key, { value: resolved[i], enumerable: true }));
    }
  }
  Object.defineProperty(Defined, 'name', { value: `Extension(${def.name})` });
  const proto = Defined.prototype as unknown as Record<string | symbol, unknown> & ExtensionLifecycle;
  const observers = Object.entries(listeners).map(([hook, fn]) => {
    if (typeof fn !== 'function') {
      throw new ExtensionError('PB_EXT_INVALID', `Extension "${def.name}": hooks.${hook} must be a function.`, { extension: def.name, hook });
    }
    // A symbol per hook: a hook may be called "onEnable" or "constructor" without clashing.
    const method = Symbol(hook);
    proto[method] = fn;
    return { hook, method, options: {} };
  });
  if (def.onEnable !== undefined) proto.onEnable = def.onEnable as () => void;
  if (def.onDisable !== undefined) proto.onDisable = def.onDisable as () => void;
  // What a parameter decorator `@inject(id)` would record, applied by hand.
  services.forEach(([, id], i) => inject(id as Parameters<typeof inject>[0])(Defined, undefined, i));
  const { inject: _i, hooks: _h, onEnable: _e, onDisable: _d, ...meta } = def;
  extension(meta)(Defined);
  defineObservers(Defined, observers);
  Object.defineProperty(Defined, DEFINITION, { value: true });
  return Defined as unknown as ExtensionDefinition;
}
