import type { ListenerContext } from '../catalogue';
import { ListenerError, listenerFailed, listenerTimedOut } from '../errors';
import type { ListenerEntry } from '../listener-entry';
import { stampFailure } from './failure-policy';

/** How one async listener settled: its value or its error, and when it started. */
export interface Settled {
  readonly value?: unknown;
  readonly error?: ListenerError;
  readonly started: number;
}

function failed(hook: string, e: ListenerEntry, thrown: unknown, started: number): Settled {
  return { error: stampFailure(listenerFailed(hook, e.extension, thrown)), started };
}

/** Runs one async listener without a limit or signal: it settles when the listener does. */
export function runUnlimited(hook: string, e: ListenerEntry, args: readonly unknown[], ctx: ListenerContext): Promise<Settled> {
  const started = performance.now();
  let v: unknown;
  try {
    v = e.fn(...args, ctx);
  } catch (err) {
    return Promise.resolve(failed(hook, e, err, started));
  }
  return Promise.resolve(v).then(
    (value) => ({ value, started }),
    (err: unknown) => failed(hook, e, err, started),
  );
}

/**
 * Runs one async listener under a time limit and/or the caller's signal: it settles at the
 * first of the listener settling, the limit passing (`PB_LISTENER_TIMEOUT`, and its context's
 * signal aborts so the listener can stop) or the caller aborting.
 */
export function runLimited(hook: string, e: ListenerEntry, args: readonly unknown[], timeoutMs: number | undefined, callSignal: AbortSignal | undefined): Promise<Settled> {
  const started = performance.now();
  const controller = new AbortController();
  const onCallAbort = (): void => controller.abort(callSignal?.reason);
  callSignal?.addEventListener('abort', onCallAbort, { once: true });
  const ctx: ListenerContext = { hook, extension: e.extension, signal: controller.signal };
  return new Promise<Settled>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (s: Settled): void => {
      if (timer) clearTimeout(timer);
      callSignal?.removeEventListener('abort', onCallAbort);
      resolve(s);
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const err = listenerTimedOut(hook, e.extension, timeoutMs);
        controller.abort(err);
        done({ error: stampFailure(err), started });
      }, timeoutMs);
    }
    controller.signal.addEventListener(
      'abort',
      () => {
        if (timeoutMs === undefined || !(controller.signal.reason instanceof ListenerError)) {
          done(failed(hook, e, controller.signal.reason ?? new Error('aborted by the caller'), started));
        }
      },
      { once: true },
    );
    if (callSignal?.aborted) {
      // The caller gave up before this listener started: don't start it.
      controller.abort(callSignal.reason);
      return;
    }
    let v: unknown;
    try {
      v = e.fn(...args, ctx);
    } catch (err) {
      done(failed(hook, e, err, started));
      return;
    }
    Promise.resolve(v).then(
      (value) => done({ value, started }),
      (err: unknown) => done(failed(hook, e, err, started)),
    );
  });
}
