import { ListenerError, listenerFailed } from '../errors';
import type { AsyncListenerEntry, ListenerEntry } from '../listener-entry';
import { asListenerError, failNow } from './failure-policy';
import { isThenable, SYNC_PROMISE, type DispatchTarget } from './dispatch-target';

/*
 * The lean paths: plain calls of hooks without schemas, interceptors or reports, under
 * `propagate` or `isolate`. Failures go through the same policy functions as the full path.
 */

/** A listener of a sync hook failed or returned a promise (refused like a throw). */
export function syncFailure(t: DispatchTarget, e: ListenerEntry, thrown: unknown): void {
  failNow(t.policy, asListenerError(t.name, e.extension, thrown), t.sink);
}

export function refusePromise(t: DispatchTarget, e: ListenerEntry, value: PromiseLike<unknown>): void {
  // Its value never reaches the result, and its rejection is never left unhandled.
  Promise.resolve(value).then(undefined, () => undefined);
  syncFailure(t, e, new TypeError(SYNC_PROMISE));
}

/** The generic sync loop used right after a change, until the hook is hot and compiled again. */
export function runSyncLoop(t: DispatchTarget, args: unknown[]): unknown {
  const list = t.list;
  const active = list.active;
  const results: unknown[] | undefined = t.spec.kind === 'collect' ? [] : undefined;
  const n = args.length;
  const a0 = args[0];
  const a1 = args[1];
  list.dispatching++;
  try {
    for (let i = 0; i < active.length; i++) {
      let value: unknown;
      try {
        // Direct calls for the common arities avoid a spread per listener.
        const fn = active[i].fn;
        value = n === 1 ? fn(a0) : n === 0 ? fn() : n === 2 ? fn(a0, a1) : fn(...args);
      } catch (err) {
        syncFailure(t, active[i], err);
        continue;
      }
      if (value === undefined) continue;
      if (results !== undefined && Array.isArray(value)) {
        for (let k = 0; k < value.length; k++) results.push(value[k]);
      } else if (isThenable(value)) refusePromise(t, active[i], value);
      else if (results !== undefined) results.push(value);
    }
  } finally {
    list.dispatching--;
  }
  return results;
}

const rejectHandlers = new WeakMap<ListenerEntry, (err: unknown) => undefined>();

/** Under `isolate`, each listener's rejection is reported on its own (one handler per listener). */
function isolateRejection(t: DispatchTarget, e: ListenerEntry): (err: unknown) => undefined {
  let h = rejectHandlers.get(e);
  if (h === undefined) {
    h = (err: unknown) => {
      failNow('isolate', listenerFailed(t.name, e.extension, err), t.sink);
      return undefined;
    };
    rejectHandlers.set(e, h);
  }
  return h;
}

/** The lean async path: all listeners start in dispatch order and run concurrently. */
export function runAsyncLean(t: DispatchTarget, args: unknown[]): Promise<unknown> {
  const list = t.list;
  const active = list.active;
  const n = active.length;
  if (n === 0) return Promise.resolve(t.spec.kind === 'collect' ? [] : undefined);
  const pending: unknown[] = new Array(n);
  const isolate = t.policy !== 'propagate';
  const argc = args.length;
  const a0 = args[0];
  const a1 = args[1];
  list.dispatching++;
  try {
    for (let i = 0; i < n; i++) {
      const e = active[i];
      let v: unknown;
      try {
        // Async hooks hold AsyncListenerEntry, whose context is made on the first call and kept.
        const ctx = (e as AsyncListenerEntry).ctx ?? t.contextFor(e);
        const fn = e.fn;
        v = argc === 1 ? fn(a0, ctx) : argc === 0 ? fn(ctx) : argc === 2 ? fn(a0, a1, ctx) : fn(...args, ctx);
      } catch (err) {
        v = Promise.reject(err);
      }
      pending[i] = isolate && isThenable(v) ? Promise.resolve(v).then(undefined, isolateRejection(t, e)) : v;
    }
  } finally {
    list.dispatching--;
  }
  const all = Promise.all(pending);
  // Under `propagate` Promise.all already rejects with the first failure in time; it is attributed only then.
  const onReject = isolate ? undefined : (reason: unknown) => attribute(t, reason, pending, active);
  if (t.spec.kind !== 'collect') return all.then(() => undefined, onReject);
  return all.then(flatten, onReject);
}

/** Finds which listener's promise rejected with `reason` and rejects with a ListenerError naming it. */
function attribute(t: DispatchTarget, reason: unknown, pending: readonly unknown[], active: readonly ListenerEntry[]): Promise<never> {
  if (reason instanceof ListenerError) return Promise.reject(reason);
  return new Promise<never>((_, reject) => {
    // The culprit has already settled, so its handler runs within a microtask.
    pending.forEach((p, i) => {
      if (isThenable(p)) {
        p.then(undefined, (e: unknown) => {
          if (e === reason) reject(asListenerError(t.name, active[i].extension, reason));
        });
      }
    });
  });
}

function flatten(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) out.push(v[k]);
    else out.push(v);
  }
  return out;
}
