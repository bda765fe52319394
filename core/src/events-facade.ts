import type { ArgsOf, HookName, HookSpecs, Listener, ResultOf } from './catalogue';
import { ExtensionError } from './errors';
import { currentExtension } from './extension-context';
import type { HookBus } from './hook-bus';

/** Hook names whose kind is `notify`. */
export type NotifyName<T extends HookSpecs> = { [K in HookName<T>]: T[K]['kind'] extends 'notify' ? K : never }[HookName<T>];
/** Hook names whose kind is `collect`. */
export type CollectName<T extends HookSpecs> = { [K in HookName<T>]: T[K]['kind'] extends 'collect' ? K : never }[HookName<T>];

type Raised<T extends HookSpecs, K extends HookName<T>> = T[K]['async'] extends true ? Promise<void> : void;
type Queried<T extends HookSpecs, K extends HookName<T>> = T[K]['async'] extends true ? Promise<ResultOf<T[K]>[]> : ResultOf<T[K]>[];

/** The Modoboa-style `events` API (see seed 004), typed by the catalogue. */
export interface Events<T extends HookSpecs> {
  /** Listens to `name`; registering the same callback twice keeps one registration. */
  register<K extends HookName<T>>(name: K, callback: Listener<T[K]>): void;
  /** Stops `callback` listening to `name` (same parameters as `register`). */
  unregister<K extends HookName<T>>(name: K, callback: Listener<T[K]>): void;
  /** Decorator form of `register` for functions: `const cb = events.observe(name)(fn)` registers `fn` and returns it. */
  observe<K extends HookName<T>>(name: K): <F extends Listener<T[K]>>(callback: F) => F;
  /** Unregisters every callback of an extension; without a name, of the extension whose code is running. */
  unregisterExtension(name?: string): void;
  /** Raises an event that returns nothing (Modoboa `raiseEvent`). */
  raise<K extends NotifyName<T>>(name: K, ...args: ArgsOf<T[K]>): Raised<T, K>;
  /** Raises an event and returns every callback's values concatenated into one list (Modoboa `raiseQueryEvent`). */
  raiseQuery<K extends CollectName<T>>(name: K, ...args: ArgsOf<T[K]>): Queried<T, K>;
}

/**
 * The inversify token under which a host binds its facade, so extensions can inject it.
 *
 * @example
 * ```ts
 * container.bind(EVENTS).toConstantValue(createEvents(bus));      // host
 * constructor(@inject(EVENTS) events: Events<HostSpecs>) { ... } // extension
 * ```
 */
export const EVENTS: unique symbol = Symbol.for('plugboard.events');

/** Options of {@link createEvents}. */
export interface EventsOptions {
  /**
   * Extension a registration is attributed to when no extension code is running
   * (see `runAsExtension`). Default `host`.
   */
  readonly defaultExtension?: string;
}

/**
 * Creates the Modoboa-compatible facade over a {@link HookBus}.
 *
 * @example
 * ```ts
 * const events = createEvents(bus);
 * events.register('AccountCreated', (account) => console.log(account.email));
 * await events.raise('AccountCreated', account);
 * const entries = await events.raiseQuery('UserMenuDisplay', 'top_menu', user);
 * ```
 */
export function createEvents<T extends HookSpecs>(bus: HookBus<T>, options: EventsOptions = {}): Events<T> {
  const fallback = options.defaultExtension ?? 'host';
  // The bus keeps who registered what, so every facade over it sees the same registrations.
  const untyped = bus as unknown as {
    on(name: string, fn: unknown, o: { extension: string; origin: 'events' }): () => void;
    off(name: string, fn: unknown): number;
    isRegistered(name: string, fn: unknown): boolean;
    call(name: string, ...args: unknown[]): unknown;
  };

  const register = (name: string, callback: unknown): void => {
    if (untyped.isRegistered(name, callback)) return;
    untyped.on(name, callback, { extension: currentExtension() ?? fallback, origin: 'events' });
  };

  const events: Events<T> = {
    register: register as Events<T>['register'],
    unregister(name, callback) {
      untyped.off(name, callback);
    },
    observe(name) {
      return (callback) => {
        register(name, callback);
        return callback;
      };
    },
    unregisterExtension(name) {
      const target = name ?? currentExtension();
      if (target === undefined) {
        throw new ExtensionError('PB_EXT_NO_CONTEXT', 'events.unregisterExtension() was called outside any extension, so the name cannot be guessed; pass the extension name.');
      }
      bus.removeListeners(target);
    },
    raise(name, ...args) {
      return untyped.call(name, ...(args as unknown[])) as never;
    },
    raiseQuery(name, ...args) {
      return untyped.call(name, ...(args as unknown[])) as never;
    },
  };
  return events;
}
