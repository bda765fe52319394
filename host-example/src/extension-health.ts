import { HealthMonitor, type BreakerOptions, type ExtensionHealth, type ExtensionManager, type Interceptor, type LastError, type Unregister } from '@plugboard/core';
import type { Logger } from 'pino';
import type { Statement } from 'better-sqlite3';
import type { Database } from './db';
import type { HostSpecs } from './hooks';

/** One extension's health as the API, the CLI and the admin page show it (summed over processes; times as ISO strings). */
export type HealthFigures = Omit<ExtensionHealth, 'extension' | 'lastError'> & {
  readonly lastError?: Omit<LastError, 'at'> & { readonly at: string };
};

interface HealthRow {
  name: string;
  calls: number;
  errors: number;
  timeouts: number;
  invalid_results: number;
  total_ms: number;
  p99_ms: number;
  consecutive_failures: number;
  last_error_at: string | null;
  last_error_hook: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
}

/** Options of the host's extension health. */
export interface HostHealthOptions {
  /** When the breaker disables an extension; `false` never disables. Default 5 failures within 60 s. */
  readonly breaker?: BreakerOptions | false;
  /** How often a serving host writes its figures to the database. Default 5 000 ms. */
  readonly flushEveryMs?: number;
}

/** The figures of an extension that has not been called yet. */
export const NO_CALLS: HealthFigures = { calls: 0, errors: 0, timeouts: 0, invalidResults: 0, consecutiveFailures: 0, avgMs: 0, p99Ms: 0 };

/**
 * The host's extension health: a {@link HealthMonitor} on the bus whose breaker disables an
 * extension through the manager (reason recorded, `ExtDisabled` raised, state persisted), and
 * the figures in the `extension_health` table, so that the CLI, another process, sees what the
 * server counted. Each process adds what it counted since its last write.
 *
 * @example
 * ```ts
 * const health = new HostHealth(db, manager, logger, { breaker: { failures: 3, windowMs: 30_000 } });
 * health.attach(bus, true);
 * health.figures().get('audit-log')?.errors;
 * ```
 */
export class HostHealth {
  private readonly monitor: HealthMonitor;
  private readonly written = new Map<string, ExtensionHealth>();
  private timer?: NodeJS.Timeout;
  private readonly upsert: Statement;

  constructor(
    private readonly db: Database,
    private readonly manager: ExtensionManager<HostSpecs>,
    private readonly logger: Logger,
    private readonly options: HostHealthOptions = {},
  ) {
    this.monitor = new HealthMonitor({ breaker: options.breaker, onTrip: (name, reason) => this.trip(name, reason) });
    // Prepared once: every read of the figures writes first. SQLite only (db.sql, the local file
    // even on PostgreSQL): the figures are not on the shared store yet.
    this.upsert = db.sql.prepare(`INSERT INTO extension_health (name, calls, errors, timeouts, invalid_results, total_ms, p99_ms, consecutive_failures,
        last_error_at, last_error_hook, last_error_code, last_error_message, updated_at)
      VALUES (@name, @calls, @errors, @timeouts, @invalid, @totalMs, @p99, @consecutive, @at, @hook, @code, @message, @now)
      ON CONFLICT (name) DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors, timeouts = timeouts + excluded.timeouts,
        invalid_results = invalid_results + excluded.invalid_results, total_ms = total_ms + excluded.total_ms, p99_ms = excluded.p99_ms,
        consecutive_failures = excluded.consecutive_failures,
        last_error_at = COALESCE(excluded.last_error_at, last_error_at), last_error_hook = COALESCE(excluded.last_error_hook, last_error_hook),
        last_error_code = COALESCE(excluded.last_error_code, last_error_code), last_error_message = COALESCE(excluded.last_error_message, last_error_message),
        updated_at = excluded.updated_at`);
  }

  /** Watches every call of `bus`, and (for a serving host) writes the figures every few seconds. */
  attach(bus: { intercept(interceptor: Interceptor): Unregister }, serving: boolean): void {
    this.monitor.attach(bus);
    if (serving) {
      this.timer = setInterval(() => this.flushQuietly(), this.options.flushEveryMs ?? 5000);
      this.timer.unref();
    }
  }

  private async trip(name: string, reason: string): Promise<void> {
    if (this.manager.find(name)?.state !== 'enabled') return;
    this.logger.warn({ extension: name, reason }, `Extension "${name}" disabled by the ${reason}; an administrator can enable it again.`);
    try {
      await this.manager.disable(name, { reason });
    } catch (e) {
      this.logger.error({ err: e, extension: name }, `The circuit breaker could not disable extension "${name}"`);
    }
  }

  /** Adds what this process counted since its last write to the table. */
  flush(): void {
    const now = new Date().toISOString();
    this.db.sql.transaction(() => {
      for (const h of this.monitor.all()) {
        const before = this.written.get(h.extension);
        if (before !== undefined && before.calls === h.calls) continue;
        const newError = h.lastError !== undefined && h.lastError !== before?.lastError ? h.lastError : undefined;
        this.upsert.run({
          name: h.extension,
          calls: h.calls - (before?.calls ?? 0),
          errors: h.errors - (before?.errors ?? 0),
          timeouts: h.timeouts - (before?.timeouts ?? 0),
          invalid: h.invalidResults - (before?.invalidResults ?? 0),
          totalMs: h.avgMs * h.calls - (before ? before.avgMs * before.calls : 0),
          p99: h.p99Ms,
          consecutive: h.consecutiveFailures,
          at: newError?.at.toISOString() ?? null,
          hook: newError?.hook ?? null,
          code: newError?.code ?? null,
          message: newError?.message ?? null,
          now,
        });
        this.written.set(h.extension, h);
      }
    })();
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch (e) {
      this.logger.error({ err: e }, 'Could not write extension health figures; they are kept in memory and written next time');
    }
  }

  /** Every extension's figures, this process's included. */
  figures(): Map<string, HealthFigures> {
    this.flushQuietly();
    const rows = this.db.sql.prepare('SELECT * FROM extension_health').all() as HealthRow[];
    return new Map(rows.map((r) => [r.name, toFigures(r)]));
  }

  /** Stops the periodic write and writes what is left. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flushQuietly();
  }
}

function toFigures(r: HealthRow): HealthFigures {
  return {
    calls: r.calls,
    errors: r.errors,
    timeouts: r.timeouts,
    invalidResults: r.invalid_results,
    consecutiveFailures: r.consecutive_failures,
    avgMs: r.calls === 0 ? 0 : r.total_ms / r.calls,
    p99Ms: r.p99_ms,
    ...(r.last_error_at !== null
      ? { lastError: { at: r.last_error_at, hook: r.last_error_hook ?? '', code: r.last_error_code ?? '', message: r.last_error_message ?? '' } }
      : {}),
  };
}

/** One line for the CLI: `12 calls, 1 error, … , last error at … in Hook: message`. */
export function healthLine(h: HealthFigures): string {
  if (h.calls === 0) return 'no calls yet';
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const parts = [n(h.calls, 'call'), n(h.errors, 'error'), n(h.timeouts, 'timeout'), `${h.invalidResults} invalid`, `avg ${h.avgMs.toFixed(1)} ms`, `p99 ${h.p99Ms.toFixed(1)} ms`];
  if (h.lastError) parts.push(`last error ${h.lastError.at} in ${h.lastError.hook} (${h.lastError.code}): ${h.lastError.message}`);
  return parts.join(', ');
}
