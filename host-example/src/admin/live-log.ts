import { isSecretName, SECRET_MASK, type CallRecord, type HookPlan, type ListenerStatus } from '@plugboard/core';
import type { CallRecordSource, LiveCallRecord } from './admin-host';
import { maskedJson } from './mask';

/** One listener's line of a logged call. */
export interface LoggedListener {
  readonly extension: string;
  readonly listener: string;
  readonly status: ListenerStatus;
  readonly durationMs: number;
  readonly error?: string;
}

/** A settled hook call as the live log shows it (arguments masked and shortened). */
export interface LoggedCall {
  /** Increasing number of the call since the admin page started. */
  readonly seq: number;
  readonly hook: string;
  readonly kind: string;
  readonly at: Date;
  readonly durationMs: number;
  /** Where the call came from when not this process (`module/<id>` for events received from Redis). */
  readonly source?: string;
  readonly outcome: 'ok' | 'error';
  readonly error?: string;
  /** `name=value` pairs of the arguments, secrets masked. */
  readonly args: string;
  readonly listeners: readonly LoggedListener[];
}

interface Kept {
  readonly seq: number;
  readonly record: LiveCallRecord;
  logged?: LoggedCall;
}

/** Options of {@link LiveLog}. */
export interface LiveLogOptions {
  /** Calls kept for the page's first paint. Default 200. */
  readonly size?: number;
  /** Argument names of a hook (from `explain`), to label and mask arguments. */
  readonly paramsOf?: (hook: string) => readonly string[];
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Keeps the most recent hook calls and fans each new one out to subscribers (the SSE
 * streams of the live event log). Fed by the host's live-events hub, or by an `after`
 * interceptor on the bus when the host has none.
 *
 * @example
 * ```ts
 * const log = LiveLog.fromInterceptor(bus, { paramsOf: (h) => bus.explain(h).params });
 * const off = log.subscribe((call) => send(call));
 * log.recent('AccountCreated'); // newest first
 * ```
 */
export class LiveLog {
  private readonly size: number;
  private readonly paramsOf: (hook: string) => readonly string[];
  // Raw records are kept and converted on demand: nobody may ever look at most of them.
  private readonly calls: Kept[] = [];
  private readonly subscribers = new Set<(call: LoggedCall) => void>();
  private seq = 0;
  private detach: () => void = () => undefined;

  constructor(options: LiveLogOptions = {}) {
    this.size = options.size ?? 200;
    this.paramsOf = options.paramsOf ?? (() => []);
  }

  /** A live log fed by `source`'s `'call'` events. */
  static fromSource(source: CallRecordSource, options: LiveLogOptions = {}): LiveLog {
    const log = new LiveLog(options);
    log.detach = source.subscribe('call', (record) => {
      log.add(record);
    });
    return log;
  }

  /** A live log fed by an `after` interceptor installed on `bus`. */
  static fromInterceptor(bus: { intercept(i: { after: (r: CallRecord) => void }): () => void }, options: LiveLogOptions = {}): LiveLog {
    const log = new LiveLog(options);
    log.detach = bus.intercept({
      after: (record) => {
        log.add(record);
      },
    });
    return log;
  }

  /** Records one settled call and hands it to every subscriber. */
  add(record: LiveCallRecord): void {
    const kept: Kept = { seq: ++this.seq, record };
    this.calls.push(kept);
    if (this.calls.length > this.size) this.calls.splice(0, this.calls.length - this.size);
    if (this.subscribers.size === 0) return;
    const call = this.logged(kept);
    for (const fn of this.subscribers) {
      try {
        fn(call);
      } catch {
        // A broken stream must never fail the hook call that fed it; the stream closes on its own.
      }
    }
  }

  /** Kept calls, newest first, optionally of one hook only. */
  recent(hook?: string, limit = 50): LoggedCall[] {
    const out: LoggedCall[] = [];
    for (let i = this.calls.length - 1; i >= 0 && out.length < limit; i--) {
      const c = this.calls[i];
      if (hook === undefined || c.record.hook === hook) out.push(this.logged(c));
    }
    return out;
  }

  /** Calls `fn` for every new call until the returned function is called. */
  subscribe(fn: (call: LoggedCall) => void): () => void {
    this.subscribers.add(fn);
    return () => void this.subscribers.delete(fn);
  }

  /** Stops listening to the source and drops the subscribers. */
  close(): void {
    this.detach();
    this.subscribers.clear();
  }

  private logged(kept: Kept): LoggedCall {
    return (kept.logged ??= this.toLogged(kept.seq, kept.record));
  }

  private toLogged(seq: number, record: LiveCallRecord): LoggedCall {
    const { report } = record;
    const names = this.paramsOf(record.hook);
    const args = record.args
      .map((value, i) => {
        const name = names[i] ?? `arg${i}`;
        return `${name}=${isSecretName(name) ? SECRET_MASK : maskedJson(value, 160)}`;
      })
      .join(' ');
    return {
      seq,
      hook: record.hook,
      kind: report.kind,
      at: report.startedAt,
      durationMs: report.durationMs,
      ...(record.source !== undefined ? { source: record.source } : {}),
      outcome: record.error === undefined ? 'ok' : 'error',
      ...(record.error !== undefined ? { error: errorText(record.error) } : {}),
      args,
      listeners: report.listeners.map((l) => ({
        extension: l.extension,
        listener: l.listener,
        status: l.status,
        durationMs: l.durationMs,
        ...(l.error !== undefined ? { error: l.error.message } : {}),
      })),
    };
  }
}

/** Argument names of every hook of a plan lookup, cached (plans change, names do not). */
export function paramsLookup(explain: (hook: string) => Pick<HookPlan, 'params'>): (hook: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (hook) => {
    let p = cache.get(hook);
    if (p === undefined) {
      try {
        p = explain(hook).params;
      } catch {
        p = [];
      }
      cache.set(hook, p);
    }
    return p;
  };
}
