import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * The extension whose synchronous listener is running. A plain variable rather than the
 * AsyncLocalStorage: sync hooks are the hot path, and a sync call cannot interleave.
 */
let syncCurrent: string | undefined;

/**
 * Runs `fn` as extension `name`: registrations made inside (directly or after awaits)
 * are attributed to it, and `events.unregisterExtension()` without a name targets it.
 * The extension manager wraps construction and lifecycle methods in this, and the bus
 * runs every listener registered by the manager or the facade this way.
 *
 * @example
 * ```ts
 * runAsExtension('limits', () => events.register('CanCreate', canCreate));
 * ```
 */
export function runAsExtension<R>(name: string, fn: () => R): R {
  const outer = syncCurrent;
  syncCurrent = undefined;
  try {
    return storage.run(name, fn);
  } finally {
    syncCurrent = outer;
  }
}

/** The extension whose code is running, if any. */
export function currentExtension(): string | undefined {
  return syncCurrent ?? storage.getStore();
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Wraps a listener so it runs as its extension: sync listeners through a variable set for
 * the duration of the call, async ones in the AsyncLocalStorage so awaits keep it.
 */
export function inExtensionContext(extension: string, fn: Fn, async: boolean): Fn {
  if (async) return (...args) => storage.run(extension, fn, ...args);
  return (...args) => {
    const outer = syncCurrent;
    syncCurrent = extension;
    try {
      return fn(...args);
    } finally {
      syncCurrent = outer;
    }
  };
}
