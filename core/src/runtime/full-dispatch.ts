import { Accumulator } from '../accumulator';
import { listenerFailed, type ListenerError } from '../errors';
import type { ErrorPolicy } from '../hook-spec';
import type { ListenerEntry } from '../listener-entry';
import type { ReportBuilder } from '../report-builder';
import type { CallOptions } from './call-options';
import { finishCall, recordFailure } from './failure-policy';
import { callSyncListener, type DispatchTarget } from './dispatch-target';
import { runLimited, runUnlimited, type Settled } from './run-listener';
import { tracingOn } from '../tracing/tracing-switch';
import { traceAsyncListener, traceSyncListener } from '../tracing/listener-tracing';

/*
 * The full path: every listener gets a report line (skipped, ok, error, timeout, with its value),
 * results are validated and accumulated, and the policy settles the call at the end.
 */

/** Runs a sync hook's listeners in order; a snapshot, as listeners may register during the call. */
export function runSyncFull(t: DispatchTarget, args: unknown[], policy: ErrorPolicy, report: ReportBuilder): unknown {
  const acc = new Accumulator(t);
  const errors: ListenerError[] = [];
  for (const e of t.list.entries.slice()) {
    if (!e.slot.enabled) {
      report.line(e, 'skipped', 0);
      continue;
    }
    const t0 = performance.now();
    let value: unknown;
    try {
      value = tracingOn() ? traceSyncListener(t.name, e, args) : callSyncListener(e.fn, args);
    } catch (err) {
      const le = listenerFailed(t.name, e.extension, err);
      report.line(e, 'error', t0, le);
      recordFailure(policy, le, errors, t.sink, false);
      continue;
    }
    const invalid = acc.accept(e, value, report.conflicts, policy);
    report.line(e, invalid ? 'error' : 'ok', t0, invalid, value);
    if (invalid) recordFailure(policy, invalid, errors, t.sink, false);
  }
  finishCall(policy, t.name, errors);
  return acc.value();
}

function start(t: DispatchTarget, e: ListenerEntry, args: unknown[], options: CallOptions | undefined): Promise<Settled> {
  const limit = t.timeLimit(e, options?.timeoutMs);
  if (tracingOn()) return traceAsyncListener(t.name, e, limit, () => run(t, e, args, limit, options));
  return run(t, e, args, limit, options);
}

function run(t: DispatchTarget, e: ListenerEntry, args: unknown[], limit: number | undefined, options: CallOptions | undefined): Promise<Settled> {
  return limit === undefined && options?.signal === undefined ? runUnlimited(t.name, e, args, t.contextFor(e)) : runLimited(t.name, e, args, limit, options?.signal);
}

/** Starts an async hook's listeners (concurrently, or one after the other for `series`), then settles them in order. */
export async function runAsyncFull(t: DispatchTarget, args: unknown[], policy: ErrorPolicy, options: CallOptions | undefined, report: ReportBuilder): Promise<unknown> {
  const entries = t.list.entries.slice();
  const outcomes: Promise<Settled>[] = [];
  const series = t.spec.options.series === true;
  for (const e of entries) {
    if (!e.slot.enabled) continue;
    const started = start(t, e, args, options);
    if (series) await started;
    outcomes.push(started);
  }
  return settleInOrder(t, entries, outcomes, policy, report);
}

/** Settles in dispatch order, so results and report lines follow the plan whatever finished first. */
async function settleInOrder(t: DispatchTarget, entries: readonly ListenerEntry[], outcomes: readonly Promise<Settled>[], policy: ErrorPolicy, report: ReportBuilder): Promise<unknown> {
  const acc = new Accumulator(t);
  const errors: ListenerError[] = [];
  let k = 0;
  for (const e of entries) {
    if (!e.slot.enabled) {
      report.line(e, 'skipped', 0);
      continue;
    }
    const s = await outcomes[k++];
    if (s.error) {
      report.line(e, s.error.code === 'PB_LISTENER_TIMEOUT' ? 'timeout' : 'error', s.started, s.error);
      recordFailure(policy, s.error, errors, t.sink, true);
      continue;
    }
    let invalid: ListenerError | undefined;
    try {
      invalid = acc.accept(e, s.value, report.conflicts, policy);
    } catch (conflict) {
      report.line(e, 'ok', s.started, undefined, s.value);
      throw conflict;
    }
    report.line(e, invalid ? 'error' : 'ok', s.started, invalid, s.value);
    if (invalid) recordFailure(policy, invalid, errors, t.sink, true);
  }
  finishCall(policy, t.name, errors);
  return acc.value();
}
