import type { ZodType } from 'zod';

/**
 * How a hook aggregates what its listeners return.
 * - `notify`: listeners return nothing; all run (Modoboa `raiseEvent`).
 * - `collect`: each listener returns a value or a list; one flat list in dispatch order (Modoboa `raiseQueryEvent`).
 * - `merge`: each listener returns an object; the objects are merged into one (Modoboa `raiseDictEvent`).
 */
export type HookKind = 'notify' | 'collect' | 'merge';

/**
 * What happens when a listener fails.
 * - `isolate`: record the error in the report, pass it to the bus's `onError`, run the others.
 * - `propagate`: the first error stops the call and is thrown (Modoboa's behaviour).
 * - `aggregate`: run all listeners, then throw a `ListenersFailedError` (an `AggregateError`) if any failed.
 */
export type ErrorPolicy = 'isolate' | 'propagate' | 'aggregate';

/** Options of one hook declaration. */
export interface HookOptions<A extends readonly unknown[], R> {
  /**
   * Names of the arguments, one per element of the tuple (checked by the compiler).
   * Used by `explain`, the admin page and event payloads (arguments by name), and to
   * keep an async listener's context argument in place when optional trailing
   * arguments are left out.
   */
  readonly params?: { readonly [I in keyof A]: string };
  /** Runtime schema of the argument tuple, checked on every call (`InvalidArgumentsError`). */
  readonly args?: ZodType<A>;
  /** Runtime schema of ONE result element (collect) or of the returned object (merge). */
  readonly result?: ZodType<R>;
  /** Overrides the kind's default error policy. */
  readonly policy?: ErrorPolicy;
  /** Default per-listener time limit for async hooks, in milliseconds. */
  readonly timeoutMs?: number;
  /**
   * Async hooks only: await each listener before starting the next (default: all start
   * in dispatch order and run concurrently; results always follow dispatch order).
   */
  readonly series?: boolean;
  /** Human description, shown by `explain` and the admin page. */
  readonly description?: string;
  /**
   * Remember calls and replay them, in order, to a listener registered or an extension enabled
   * later (pluggy's historic hooks). `true`: the last 100 calls of the last hour.
   */
  readonly historic?: boolean | HistoricOptions;
}

/** Bounds of a historic hook's memory. */
export interface HistoricOptions {
  /** Calls kept (oldest dropped first). Default 100. */
  readonly maxCalls?: number;
  /** Calls older than this are dropped, in milliseconds. Default 3 600 000 (an hour). */
  readonly maxAgeMs?: number;
}

/**
 * One hook declaration: its kind, whether listeners may be async, and (in the type only)
 * its argument tuple `A` and result element type `R`.
 */
export interface HookSpec<K extends HookKind = HookKind, A extends readonly unknown[] = readonly unknown[], R = unknown, Async extends boolean = boolean> {
  readonly kind: K;
  readonly async: Async;
  readonly options: HookOptions<A, R>;
  /** Phantom fields carrying the types; never set at run time. */
  readonly __args?: A;
  readonly __result?: R;
}

/** Any hook declaration. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any spec must be assignable here
export type AnyHookSpec = HookSpec<HookKind, any, any, boolean>;

function spec<K extends HookKind, A extends readonly unknown[], R, Async extends boolean>(
  kind: K,
  async: Async,
  options: HookOptions<A, R> = {},
): HookSpec<K, A, R, Async> {
  return { kind, async, options };
}

/**
 * A hook whose listeners return nothing, dispatched synchronously.
 * @example
 * ```ts
 * const hooks = defineHooks({ Tick: notify<[n: number]>() });
 * ```
 */
export function notify<A extends readonly unknown[]>(options?: HookOptions<A, void>): HookSpec<'notify', A, void, false> {
  return spec('notify', false, options);
}

/**
 * A hook whose listeners return nothing; listeners may be async and get an AbortSignal.
 * @example
 * ```ts
 * const hooks = defineHooks({ AccountCreated: notifyAsync<[account: Account]>() });
 * ```
 */
export function notifyAsync<A extends readonly unknown[]>(options?: HookOptions<A, void>): HookSpec<'notify', A, void, true> {
  return spec('notify', true, options);
}

/**
 * A hook whose listeners each return a value or a list of values; the call returns one flat list.
 * @example
 * ```ts
 * const hooks = defineHooks({ GetAnnouncement: collect<[target: string], string>() });
 * ```
 */
export function collect<A extends readonly unknown[], R>(options?: HookOptions<A, R>): HookSpec<'collect', A, R, false> {
  return spec('collect', false, options);
}

/**
 * Async variant of {@link collect}.
 * @example
 * ```ts
 * const hooks = defineHooks({ UserMenuDisplay: collectAsync<[target: string, user: User], MenuEntry>() });
 * ```
 */
export function collectAsync<A extends readonly unknown[], R>(options?: HookOptions<A, R>): HookSpec<'collect', A, R, true> {
  return spec('collect', true, options);
}

/**
 * A hook whose listeners each return an object; the call returns them merged
 * (a key returned by two extensions is a conflict).
 * @example
 * ```ts
 * const hooks = defineHooks({ GetExtraParameters: merge<[app: string, level: 'A' | 'U'], Record<string, Field>>() });
 * ```
 */
export function merge<A extends readonly unknown[], R extends object>(options?: HookOptions<A, R>): HookSpec<'merge', A, R, false> {
  return spec('merge', false, options);
}

/** Async variant of {@link merge}. */
export function mergeAsync<A extends readonly unknown[], R extends object>(options?: HookOptions<A, R>): HookSpec<'merge', A, R, true> {
  return spec('merge', true, options);
}
