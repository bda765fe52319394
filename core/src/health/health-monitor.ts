import type { Interceptor, Unregister } from '../hook-bus';
import type { CallReport, ListenerReport } from '../report';
import { CircuitBreaker, type BreakerOptions } from './circuit-breaker';
import { DurationWindow } from './duration-window';

/** The last failure of an extension's listener. */
export interface LastError {
  readonly at: Date;
  readonly hook: string;
  readonly code: string;
  readonly message: string;
}

/** Health figures of one extension, counted over its listeners' calls since the monitor started. */
export interface ExtensionHealth {
  readonly extension: string;
  /** Listener calls (skipped ones, while disabled, are not counted). */
  readonly calls: number;
  /** Calls that threw or rejected (invalid results and timeouts are counted apart). */
  readonly errors: number;
  readonly timeouts: number;
  /** Calls whose value the hook's schema refused (`PB_INVALID_RESULT`). */
  readonly invalidResults: number;
  /** Failures in a row up to now, as the breaker counts them. */
  readonly consecutiveFailures: number;
  readonly avgMs: number;
  /** 99th percentile of the last 1024 calls' durations. */
  readonly p99Ms: number;
  readonly lastError?: LastError;
}

/** Options of a {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  /** When to open an extension's breaker; `false` counts without ever opening it. */
  readonly breaker?: BreakerOptions | false;
  /**
   * Called once when an extension's breaker opens, with the reason to record; the host disables
   * the extension there (e.g. `manager.disable(name, { reason })`). Errors it throws or rejects
   * with are ignored: the monitor never breaks dispatch.
   */
  readonly onTrip?: (extension: string, reason: string) => unknown;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

interface Counters {
  calls: number;
  errors: number;
  timeouts: number;
  invalidResults: number;
  lastError?: LastError;
  readonly durations: DurationWindow;
  readonly breaker?: CircuitBreaker;
}

/**
 * Per-extension health from every call's report: calls, errors, timeouts, invalid results,
 * the last error, mean and p99 duration; and a circuit breaker that reports an extension failing
 * `failures` times in a row within `windowMs`, so the host can disable it.
 *
 * @example
 * ```ts
 * const health = new HealthMonitor({
 *   breaker: { failures: 5, windowMs: 60_000 },
 *   onTrip: (name, reason) => manager.disable(name, { reason }),
 * });
 * health.attach(bus);
 * console.log(health.get('stats')?.errors);
 * ```
 */
export class HealthMonitor {
  private readonly counters = new Map<string, Counters>();
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions = {}) {
    this.now = options.now ?? Date.now;
    // Refuse bad breaker options when the monitor is made, not at the first failure.
    if (options.breaker !== false) new CircuitBreaker(options.breaker);
  }

  /** Watches every call of `bus`; returns the undo. */
  attach(bus: { intercept(interceptor: Interceptor): Unregister }): Unregister {
    return bus.intercept({ after: (record) => this.record(record.report) });
  }

  /** Counts one call's listener lines. */
  record(report: CallReport): void {
    for (const line of report.listeners) if (line.status !== 'skipped') this.line(report.hook, line);
  }

  private line(hook: string, line: ListenerReport): void {
    const c = this.entry(line.extension);
    c.calls++;
    c.durations.add(line.durationMs);
    if (line.status === 'ok') {
      c.breaker?.success();
      return;
    }
    const code = line.error?.code ?? (line.status === 'timeout' ? 'PB_LISTENER_TIMEOUT' : 'PB_LISTENER_FAILED');
    if (line.status === 'timeout') c.timeouts++;
    else if (code === 'PB_INVALID_RESULT') c.invalidResults++;
    else c.errors++;
    const at = this.now();
    c.lastError = { at: new Date(at), hook, code, message: line.error?.message ?? line.status };
    if (c.breaker?.failure(at) === true) this.trip(line.extension, c.breaker);
  }

  private trip(extension: string, breaker: CircuitBreaker): void {
    const reason = breaker.reason();
    breaker.success();
    try {
      const done = this.options.onTrip?.(extension, reason);
      if (done instanceof Promise) done.catch(() => undefined);
    } catch {
      // The host's reaction to a trip must not break the call being reported.
    }
  }

  private entry(extension: string): Counters {
    let c = this.counters.get(extension);
    if (c === undefined) {
      const breaker = this.options.breaker === false ? undefined : new CircuitBreaker(this.options.breaker);
      c = { calls: 0, errors: 0, timeouts: 0, invalidResults: 0, durations: new DurationWindow(), ...(breaker ? { breaker } : {}) };
      this.counters.set(extension, c);
    }
    return c;
  }

  /** The figures of one extension (undefined before its first call). */
  get(extension: string): ExtensionHealth | undefined {
    const c = this.counters.get(extension);
    if (c === undefined) return undefined;
    return {
      extension,
      calls: c.calls,
      errors: c.errors,
      timeouts: c.timeouts,
      invalidResults: c.invalidResults,
      consecutiveFailures: c.breaker?.consecutive ?? 0,
      avgMs: c.durations.mean,
      p99Ms: c.durations.quantile(0.99),
      ...(c.lastError ? { lastError: c.lastError } : {}),
    };
  }

  /** Every extension seen so far. */
  all(): ExtensionHealth[] {
    return [...this.counters.keys()].map((name) => this.get(name) as ExtensionHealth);
  }

  /** Starts the breaker's count again, e.g. when an administrator re-enables the extension. */
  resetBreaker(extension: string): void {
    this.counters.get(extension)?.breaker?.success();
  }
}
