import type { ListenerContext } from '../catalogue';
import type { ListenerError, MergeConflictError } from '../errors';
import type { AnyHookSpec, ErrorPolicy } from '../hook-spec';
import type { ListenerEntry } from '../listener-entry';
import type { CallRecord } from '../report';
import type { FailureSink } from './failure-policy';
import type { ListenerList } from './listener-list';

/** What a runtime needs from its bus. */
export interface RuntimeHost {
  /** Receives isolated errors. */
  onError(error: ListenerError | MergeConflictError): void;
  /** The time limit the host set for an extension's listeners, if any. */
  extensionTimeoutMs(extension: string): number | undefined;
  /** The host's time limit for async listeners that declare none. */
  readonly defaultTimeoutMs: number | undefined;
  runBefore(hook: string, args: readonly unknown[]): void | Promise<void>;
  runAfter(record: CallRecord): void | Promise<void>;
}

/** The hook a dispatch path runs: its declaration, listeners, policy and helpers. */
export interface DispatchTarget {
  readonly name: string;
  readonly spec: AnyHookSpec;
  readonly host: RuntimeHost;
  readonly list: ListenerList;
  /** The hook's policy (the host's override, else the catalogue's, else the kind's default). */
  readonly policy: ErrorPolicy;
  /** Where isolated failures go (the bus's `onError`). */
  readonly sink: FailureSink;
  /** A listener's context when no limit or signal applies (made once per listener). */
  contextFor(e: ListenerEntry): ListenerContext;
  /** A listener's time limit, capped by the call's. */
  timeLimit(e: ListenerEntry, callLimit: number | undefined): number | undefined;
}

/** A listener of a sync hook returned a promise: the message of the error it is refused with. */
export const SYNC_PROMISE = 'returned a promise to a synchronous hook; declare the hook async or return a plain value';

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Calls a listener of a sync hook: its value, or a throw when it threw or returned a promise (a
 * sync hook refuses it like a throw; its rejection is never left unhandled).
 */
export function callSyncListener(fn: (...args: unknown[]) => unknown, args: readonly unknown[]): unknown {
  const value = fn(...args);
  if (isThenable(value)) {
    Promise.resolve(value).then(undefined, () => undefined);
    throw new TypeError(SYNC_PROMISE);
  }
  return value;
}
