import type { ArgsOf, CallResult, HookName, HookSpecs } from './catalogue';
import type { ListenerError, MergeConflictError } from './errors';
import type { AnyHookSpec } from './hook-spec';
import type { HookOverrides } from './runtime/call-options';
import type { CallRecord, ListenerOrigin } from './report';

/** Options of one registration. */
export interface ListenerOptions {
  /** The extension this listener belongs to (required: every registration is attributed). */
  readonly extension: string;
  /** Higher runs earlier (default 0); ties run in registration order. */
  readonly priority?: number;
  /** Run before every listener of these extensions on the same hook. */
  readonly before?: readonly string[];
  /** Run after every listener of these extensions on the same hook. */
  readonly after?: readonly string[];
  /** Time limit for this listener (async hooks); it gets an aborted `ctx.signal` when exceeded. */
  readonly timeoutMs?: number;
  /**
   * Who registers it (default `on`). Listeners registered by the extension manager
   * (`observe`) or the events facade (`events`) run inside their extension's context, so
   * `currentExtension()` and `events.unregisterExtension()` know whose code is running.
   */
  readonly origin?: ListenerOrigin;
}

/** Observes every call of every hook: `before` may throw to abort (async hooks may also reject). */
export interface Interceptor {
  readonly before?: (hook: string, args: readonly unknown[]) => void | Promise<void>;
  readonly after?: (record: CallRecord) => void | Promise<void>;
}

/** Options of a {@link HookBus}. */
export interface HookBusOptions<T extends HookSpecs = HookSpecs> {
  /**
   * Receives every isolated failure (listener errors under `isolate`, merge conflicts,
   * failing `after` interceptors). Default: `console.error`. Never throws into dispatch.
   */
  readonly onError?: (error: ListenerError | MergeConflictError | Error) => void;
  /**
   * Time limit in milliseconds for listeners of async hooks when neither the listener, its
   * extension (`extensions`) nor the hook declares one. Default: none.
   */
  readonly timeoutMs?: number;
  /** The host's choices per hook over the catalogue's: error policy, time limit. */
  readonly hooks?: { readonly [K in HookName<T>]?: HookOverrides };
  /** Time limits per extension (async hooks), e.g. a longer one for a known slow extension. */
  readonly extensions?: Readonly<Record<string, { readonly timeoutMs?: number }>>;
}

/** A direct handle on one hook (see {@link HookBus.hook}). */
export interface HookHandle<S extends AnyHookSpec> {
  readonly name: string;
  call(...args: ArgsOf<S>): CallResult<S>;
}

/** Undoes one registration; calling it twice is harmless. */
export type Unregister = () => void;

