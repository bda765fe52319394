import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as extension `name`: registrations made inside (directly or after awaits)
 * are attributed to it, and `events.unregisterExtension()` without a name targets it.
 * The extension manager wraps construction and lifecycle methods in this.
 *
 * @example
 * ```ts
 * runAsExtension('limits', () => events.register('CanCreate', canCreate));
 * ```
 */
export function runAsExtension<R>(name: string, fn: () => R): R {
  return storage.run(name, fn);
}

/** The extension whose code is running, if any. */
export function currentExtension(): string | undefined {
  return storage.getStore();
}
