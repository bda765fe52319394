import type { ExtensionManager, HookSpecs } from '@plugboard/core';
import type { Logger } from 'pino';
import type { SqlExtensionStore } from './extension-store';

/** Options of {@link followExtensionStates}. */
export interface FollowExtensionStatesOptions {
  readonly logger: Pick<Logger, 'error'>;
  /**
   * SQLite's `PRAGMA data_version` of the host's connection: topics of SQLite reach only this
   * connection, so another process's change is noticed when the version moves (checked every
   * `intervalMs`, default 500) and every extension is reloaded. Omit it on PostgreSQL.
   */
  readonly dataVersion?: () => number;
  readonly intervalMs?: number;
}

/**
 * Keeps `manager` in the state the shared store holds: when any process enables or disables an
 * extension (an administrator, the circuit breaker), this one follows within a second. The
 * manager applies the stored state without saving it, so no process announces it back.
 * Changes are applied one at a time, in the order heard. Resolves once listening; returns the undo.
 *
 * @example
 * ```ts
 * const stop = await followExtensionStates(manager, store, { logger });
 * // … at close
 * stop();
 * ```
 */
export async function followExtensionStates<T extends HookSpecs>(
  manager: ExtensionManager<T>,
  store: SqlExtensionStore,
  options: FollowExtensionStatesOptions,
): Promise<() => void> {
  let queue = Promise.resolve();
  const apply = (name: string | undefined): void => {
    const names = name === undefined ? manager.list().map((e) => e.name) : [name];
    queue = queue.then(async () => {
      for (const n of names) {
        try {
          await manager.applyStored(n);
        } catch (err) {
          // e.g. another process enabled it, but a requirement is disabled here: the state stays as it was.
          options.logger.error({ err, extension: n }, `Could not apply the stored state of extension "${n}": ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
  };
  const unlisten = await store.follow(apply);
  const dataVersion = options.dataVersion;
  if (dataVersion === undefined) return unlisten;
  let seen = dataVersion();
  const timer = setInterval(() => {
    const now = dataVersion();
    if (now === seen) return;
    seen = now;
    apply(undefined);
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => {
    clearInterval(timer);
    unlisten();
  };
}
