import { ExtensionError } from './errors';
import type { ExtensionLifecycle } from './extension';
import { runAsExtension } from './extension-context';

/** Default time limit of `onEnable` / `onDisable`, in milliseconds. */
export const DEFAULT_LIFECYCLE_TIMEOUT_MS = 10_000;

/**
 * Runs a lifecycle method as its extension, within a time limit: a method that never settles
 * must not keep the host from starting (or stopping). When the limit passes the method is
 * left running, its eventual outcome ignored, and a `PB_EXT_TIMEOUT` error says which.
 */
export async function runLifecycle(
  extension: string,
  instance: ExtensionLifecycle | undefined,
  method: 'onEnable' | 'onDisable',
  timeoutMs: number,
): Promise<void> {
  if (instance?.[method] === undefined) return;
  const running = runAsExtension(extension, async () => instance[method]?.());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new ExtensionError(
          'PB_EXT_TIMEOUT',
          `Extension "${extension}": ${method}() did not settle within ${timeoutMs} ms. Make it finish (or move long work out of it), or raise the manager's lifecycleTimeoutMs.`,
          { extension },
        ),
      );
    }, timeoutMs);
  });
  // A late rejection after the limit must not surface as an unhandled rejection.
  running.catch(() => undefined);
  try {
    await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
