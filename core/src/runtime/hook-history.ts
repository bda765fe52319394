import { listenerFailed, type ListenerError } from '../errors';
import type { HistoricOptions } from '../hook-spec';
import type { ListenerEntry } from '../listener-entry';
import type { CallRecord } from '../report';
import { ReportBuilder } from '../report-builder';
import { callSyncListener, type DispatchTarget } from './dispatch-target';
import { runLimited, runUnlimited } from './run-listener';

interface PastCall {
  readonly seq: number;
  readonly at: number;
  readonly args: readonly unknown[];
}

/**
 * The remembered calls of a historic hook (bounded by count and age), and which of them each
 * listener has not seen: all of them for a listener registered later, those made while it was
 * disabled for one enabled again.
 */
export class HookHistory {
  private calls: PastCall[] = [];
  private seq = 0;
  private readonly missedFrom = new WeakMap<ListenerEntry, number>();
  private readonly maxCalls: number;
  private readonly maxAgeMs: number;

  constructor(options: true | HistoricOptions) {
    this.maxCalls = options === true ? 100 : (options.maxCalls ?? 100);
    this.maxAgeMs = options === true ? 3_600_000 : (options.maxAgeMs ?? 3_600_000);
    if (!Number.isInteger(this.maxCalls) || this.maxCalls < 1) throw new RangeError(`historic.maxCalls must be a positive integer; got ${this.maxCalls}.`);
    if (!(this.maxAgeMs > 0)) throw new RangeError(`historic.maxAgeMs must be a positive number of milliseconds; got ${this.maxAgeMs}.`);
  }

  record(args: readonly unknown[]): void {
    this.calls.push({ seq: ++this.seq, at: Date.now(), args: args.slice() });
    this.trim();
  }

  private trim(): void {
    const oldest = Date.now() - this.maxAgeMs;
    let drop = Math.max(0, this.calls.length - this.maxCalls);
    while (drop < this.calls.length && this.calls[drop].at < oldest) drop++;
    if (drop > 0) this.calls = this.calls.slice(drop);
  }

  /** The listener stops receiving calls: it will be replayed what happens from now on. */
  markDisabled(entry: ListenerEntry): void {
    this.missedFrom.set(entry, this.seq);
  }

  /** The kept calls `entry` has not seen, oldest first; from now on it sees calls live. */
  takeMissed(entry: ListenerEntry): (readonly unknown[])[] {
    const from = this.missedFrom.get(entry) ?? 0;
    this.missedFrom.delete(entry);
    this.trim();
    return this.calls.filter((c) => c.seq > from).map((c) => c.args);
  }
}

/** Where a replay's outcome goes: failures to the bus's `onError`, each call's record to the interceptors. */
export interface ReplaySink {
  readonly emit: (record: CallRecord) => void | Promise<void>;
}

function finish(t: DispatchTarget, args: readonly unknown[], report: ReportBuilder, value: unknown, sink: ReplaySink): void | Promise<void> {
  return sink.emit({ hook: t.name, args, result: value, report: report.finish(t.name, t.spec.kind, 'isolate'), replay: true });
}

/**
 * Replays past calls to one listener of a sync hook, now and in order. A replay has no caller to
 * fail, so its errors are isolated whatever the hook's policy.
 */
function replaySync(t: DispatchTarget, e: ListenerEntry, calls: readonly (readonly unknown[])[], sink: ReplaySink): void {
  for (const args of calls) {
    const report = new ReportBuilder();
    const t0 = performance.now();
    let value: unknown;
    try {
      value = callSyncListener(e.fn, args);
    } catch (err) {
      const le: ListenerError = listenerFailed(t.name, e.extension, err);
      report.line(e, 'error', t0, le);
      t.sink(le);
      void finish(t, args, report, undefined, sink);
      continue;
    }
    report.line(e, 'ok', t0, undefined, value);
    void finish(t, args, report, value, sink);
  }
}

/** Replays past calls to one listener of an async hook, one after the other, under its time limit. */
async function replayAsync(t: DispatchTarget, e: ListenerEntry, calls: readonly (readonly unknown[])[], sink: ReplaySink): Promise<void> {
  for (const args of calls) {
    const report = new ReportBuilder();
    const limit = t.timeLimit(e, undefined);
    const s = await (limit === undefined ? runUnlimited(t.name, e, args, t.contextFor(e)) : runLimited(t.name, e, args, limit, undefined));
    if (s.error) {
      report.line(e, s.error.code === 'PB_LISTENER_TIMEOUT' ? 'timeout' : 'error', s.started, s.error);
      t.sink(s.error);
    } else report.line(e, 'ok', s.started, undefined, s.value);
    await finish(t, args, report, s.value, sink);
  }
}

/**
 * Replays to `e` the calls it missed: at once for a sync hook; for an async hook the returned
 * promise settles when they are done.
 */
export function replayMissed(history: HookHistory, t: DispatchTarget, e: ListenerEntry, sink: ReplaySink): Promise<void> | undefined {
  const calls = history.takeMissed(e);
  if (calls.length === 0) return undefined;
  if (!t.spec.async) {
    replaySync(t, e, calls, sink);
    return undefined;
  }
  return replayAsync(t, e, calls, sink);
}
