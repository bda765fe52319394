import type { ListenerEntry } from '../listener-entry';

/** Where a listener's time limit can come from, besides the listener itself and the call. */
export interface TimeLimitSources {
  /** The hook's limit: the host's override, else the catalogue's. */
  readonly hookTimeoutMs: number | undefined;
  /** The limit the host set for an extension's listeners. */
  extensionTimeoutMs(extension: string): number | undefined;
  /** The host's limit for listeners that declare none. */
  readonly defaultTimeoutMs: number | undefined;
}

/**
 * A listener's time limit: the smallest declared by the listener, the host for its extension
 * and the hook; when none is, the host's default. A call's limit caps it.
 */
export function timeLimitFor(e: ListenerEntry, sources: TimeLimitSources, callLimit: number | undefined): number | undefined {
  let limit = e.extra?.timeoutMs;
  const ext = sources.extensionTimeoutMs(e.extension);
  if (ext !== undefined && (limit === undefined || ext < limit)) limit = ext;
  const hook = sources.hookTimeoutMs;
  if (hook !== undefined && (limit === undefined || hook < limit)) limit = hook;
  limit ??= sources.defaultTimeoutMs;
  return callLimit !== undefined && (limit === undefined || callLimit < limit) ? callLimit : limit;
}

/** The sources of one hook's limits: its own, and the host's (read when asked, as the host may change them). */
export function limitSources(hookTimeoutMs: number | undefined, host: Omit<TimeLimitSources, 'hookTimeoutMs'>): TimeLimitSources {
  return {
    hookTimeoutMs,
    extensionTimeoutMs: (extension) => host.extensionTimeoutMs(extension),
    get defaultTimeoutMs() {
      return host.defaultTimeoutMs;
    },
  };
}
