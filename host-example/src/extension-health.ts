import { HealthMonitor, type BreakerOptions, type ExtensionHealth, type ExtensionManager, type Interceptor, type LastError, type Unregister } from '@plugboard/core';
import { all, exec, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './db';
import type { HostSpecs } from './hooks';

/** One extension's health as the API, the CLI and the admin page show it (summed over processes; times as ISO strings). */
export type HealthFigures = Omit<ExtensionHealth, 'extension' | 'lastError'> & {
  readonly lastError?: Omit<LastError, 'at'> & { readonly at: string };
};

interface HealthTables {
  extension_health: HealthRow & { updated_at: string };
}

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
 * the figures in the `extension_health` table of the host's store (SQLite, or the PostgreSQL that
 * every host shares), so that the CLI, another process or another host sees what the server
 * counted. Each process adds what it counted since its last write.
 *
 * @example
 * ```ts
 * const health = new HostHealth(db, manager, logger, { breaker: { failures: 3, windowMs: 30_000 } });
 * health.attach(bus, true);
 * (await health.figures()).get('audit-log')?.errors;
 * ```
 */
export class HostHealth {
  private readonly monitor: HealthMonitor;
  private readonly written = new Map<string, ExtensionHealth>();
  private timer?: NodeJS.Timeout;
  private readonly k: Kysely<HealthTables>;
  /** The write under way: writes run one after another, so none adds what another already added. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly manager: ExtensionManager<HostSpecs>,
    private readonly logger: Logger,
    private readonly options: HostHealthOptions = {},
  ) {
    this.monitor = new HealthMonitor({ breaker: options.breaker, onTrip: (name, reason) => this.trip(name, reason) });
    this.k = db.store.as<HealthTables>();
  }

  /** Watches every call of `bus`, and (for a serving host) writes the figures every few seconds. */
  attach(bus: { intercept(interceptor: Interceptor): Unregister }, serving: boolean): void {
    this.monitor.attach(bus);
    if (serving) {
      this.timer = setInterval(() => void this.flushQuietly(), this.options.flushEveryMs ?? 5000);
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
  flush(): Promise<void> {
    const next = this.writing.then(() => this.write());
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const now = new Date().toISOString();
    const changed = this.monitor.all().filter((h) => this.written.get(h.extension)?.calls !== h.calls);
    if (changed.length === 0) return;
    const k = this.k;
    const written = this.written;
    await this.db.store.transact(
      (function* (): Work<void> {
        for (const h of changed) yield* exec(upsert(k, h, written.get(h.extension), now));
      })(),
    );
    for (const h of changed) this.written.set(h.extension, h);
  }

  private async flushQuietly(): Promise<void> {
    try {
      await this.flush();
    } catch (e) {
      this.logger.error({ err: e }, 'Could not write extension health figures; they are kept in memory and written next time');
    }
  }

  /** Every extension's figures, summed over the processes sharing the store (this one's included). */
  async figures(): Promise<Map<string, HealthFigures>> {
    await this.flushQuietly();
    const rows = await this.db.store.run(all(this.k.selectFrom('extension_health').selectAll()));
    return new Map(rows.map((r) => [r.name, toFigures(r)]));
  }

  /** Stops the periodic write and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushQuietly();
  }
}

/** Adds what `h` counted since `before` to its row (created when missing). */
function upsert(k: Kysely<HealthTables>, h: ExtensionHealth, before: ExtensionHealth | undefined, now: string) {
  const newError = h.lastError !== undefined && h.lastError !== before?.lastError ? h.lastError : undefined;
  const row = {
    name: h.extension,
    calls: h.calls - (before?.calls ?? 0),
    errors: h.errors - (before?.errors ?? 0),
    timeouts: h.timeouts - (before?.timeouts ?? 0),
    invalid_results: h.invalidResults - (before?.invalidResults ?? 0),
    total_ms: h.avgMs * h.calls - (before ? before.avgMs * before.calls : 0),
    p99_ms: h.p99Ms,
    consecutive_failures: h.consecutiveFailures,
    last_error_at: newError?.at.toISOString() ?? null,
    last_error_hook: newError?.hook ?? null,
    last_error_code: newError?.code ?? null,
    last_error_message: newError?.message ?? null,
    updated_at: now,
  };
  return k
    .insertInto('extension_health')
    .values(row)
    .onConflict((c) =>
      c.column('name').doUpdateSet((eb) => {
        // The row's own value plus this process's delta: every process adds, none overwrites.
        const add = (col: 'calls' | 'errors' | 'timeouts' | 'invalid_results' | 'total_ms') => eb(`extension_health.${col}`, '+', eb.ref(`excluded.${col}`));
        // The latest error in time wins, whichever process writes last.
        const newer = eb.and([
          eb('excluded.last_error_at', 'is not', null),
          eb.or([eb('extension_health.last_error_at', 'is', null), eb('excluded.last_error_at', '>', eb.ref('extension_health.last_error_at'))]),
        ]);
        const keep = (col: 'last_error_at' | 'last_error_hook' | 'last_error_code' | 'last_error_message') =>
          eb.case().when(newer).then(eb.ref(`excluded.${col}`)).else(eb.ref(`extension_health.${col}`)).end();
        return {
          calls: add('calls'),
          errors: add('errors'),
          timeouts: add('timeouts'),
          invalid_results: add('invalid_results'),
          total_ms: add('total_ms'),
          p99_ms: eb.ref('excluded.p99_ms'),
          consecutive_failures: eb.ref('excluded.consecutive_failures'),
          last_error_at: keep('last_error_at'),
          last_error_hook: keep('last_error_hook'),
          last_error_code: keep('last_error_code'),
          last_error_message: keep('last_error_message'),
          updated_at: eb.ref('excluded.updated_at'),
        };
      }),
    );
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
