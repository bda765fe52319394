import { ListenerError, listenerFailed, ListenersFailedError } from '../errors';
import type { ErrorPolicy } from '../hook-spec';

/**
 * What a hook's error policy does with a failed listener: the one place it is decided, for every
 * dispatch path (compiled, generic loop, lean async, full with a report).
 *
 * - `propagate`: the call fails with the listener's error. Sync hooks stop at once (the listeners
 *   after it do not run); async hooks let every started listener settle and fail with the first
 *   failure in time, as `Promise.all` would.
 * - `isolate`: the error goes to the bus's `onError`; the call completes with the other results.
 * - `aggregate`: every listener runs; then the call fails with one `ListenersFailedError`.
 */
export interface FailureSink {
  (error: ListenerError): void;
}

/** The listener error for what `extension`'s listener threw or rejected with. */
export function asListenerError(hook: string, extension: string, thrown: unknown): ListenerError {
  return thrown instanceof ListenerError ? thrown : listenerFailed(hook, extension, thrown);
}

/** A failure on a path without a report (`propagate` or `isolate` only): throws or reports now. */
export function failNow(policy: ErrorPolicy, error: ListenerError, sink: FailureSink): void {
  if (policy === 'propagate') throw error;
  sink(error);
}

/**
 * A failure on the full path: kept in `errors` for {@link finishCall}; a sync hook under
 * `propagate` throws at once, `isolate` reports it now.
 */
export function recordFailure(policy: ErrorPolicy, error: ListenerError, errors: ListenerError[], sink: FailureSink, async: boolean): void {
  if (policy === 'propagate' && !async) throw error;
  errors.push(error);
  if (policy === 'isolate') sink(error);
}

/** The end of a call on the full path: `propagate` fails with the first failure in time, `aggregate` with all. */
export function finishCall(policy: ErrorPolicy, hook: string, errors: readonly ListenerError[]): void {
  if (errors.length === 0 || policy === 'isolate') return;
  if (policy === 'aggregate') throw new ListenersFailedError(hook, errors);
  throw firstInTime(errors);
}

/** When each listener error happened, to pick the first in time under `propagate`. */
const failedAt = new WeakMap<ListenerError, number>();

/** Stamps when a listener failed (async listeners settle in any order). */
export function stampFailure(error: ListenerError): ListenerError {
  failedAt.set(error, performance.now());
  return error;
}

function firstInTime(errors: readonly ListenerError[]): ListenerError {
  let first = errors[0];
  for (const e of errors) if ((failedAt.get(e) ?? Infinity) < (failedAt.get(first) ?? Infinity)) first = e;
  return first;
}
