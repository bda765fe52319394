import { context, trace } from '@opentelemetry/api';
import type { ListenerEntry } from '../listener-entry';
import { callSyncListener } from '../runtime/dispatch-target';
import type { Settled } from '../runtime/run-listener';
import { endListener, listenerSpan } from './hook-spans';

/** Calls a sync hook's listener inside its own span (a child of the hook call's). */
export function traceSyncListener(hook: string, e: ListenerEntry, args: readonly unknown[]): unknown {
  const span = listenerSpan(hook, e, undefined);
  let value: unknown;
  try {
    value = context.with(trace.setSpan(context.active(), span), () => callSyncListener(e.fn, args));
  } catch (error) {
    endListener(span, 'error', error);
    throw error;
  }
  endListener(span, 'ok');
  return value;
}

/** Starts an async listener inside its own span, ended with how the listener settled. */
export function traceAsyncListener(hook: string, e: ListenerEntry, timeoutMs: number | undefined, start: () => Promise<Settled>): Promise<Settled> {
  const span = listenerSpan(hook, e, timeoutMs);
  const settled = context.with(trace.setSpan(context.active(), span), start);
  return settled.then((s) => {
    if (s.error === undefined) endListener(span, 'ok');
    else endListener(span, s.error.code === 'PB_LISTENER_TIMEOUT' ? 'timeout' : 'error', s.error);
    return s;
  });
}
