import type { OutboxLogger } from '../types';
import type { Emission } from './attempt';

const UNROUTABLE_LOG_EVERY_MS = 60_000;

/** Due messages of one channel that has no deliverer. */
export interface UnroutableRow {
  readonly channel: string;
  readonly count: number;
}

/**
 * Reports due messages of channels without a deliverer in this process: they stay pending, so
 * the log (once a minute per channel) and the `unroutable` event are the only sign of them.
 */
export class UnroutableReport {
  /** Set when a check is worth running before its interval (start, an enqueue to an unknown channel). */
  wanted = false;
  private lastCheck = 0;
  /** The check counts every due row of unknown channels, so it runs at most once a second. */
  private readonly everyMs: number;
  private readonly loggedAt = new Map<string, number>();

  constructor(
    // Due messages per channel without a deliverer here; SQLite's loop asks it synchronously.
    private readonly source: { unroutable(now: number): readonly UnroutableRow[] } | undefined,
    private readonly logger: OutboxLogger,
    private readonly emit: (e: Emission) => void,
    pollIntervalMs: number,
  ) {
    this.everyMs = Math.max(pollIntervalMs, 1000);
  }

  /** A deliverer was registered for `channel`: report it afresh if it loses its deliverer again. */
  forget(channel: string): void {
    this.loggedAt.delete(channel);
  }

  /** Checks when wanted or when the interval passed. */
  checkIfDue(now: number): void {
    if (this.wanted || now - this.lastCheck >= this.everyMs) this.check(now);
  }

  private check(now: number): void {
    this.lastCheck = now;
    this.wanted = false;
    this.publish(this.source?.unroutable(now) ?? [], now);
  }

  /** Logs (once a minute per channel) and emits `unroutable` for each row; PostgreSQL's outbox fetches the rows itself. */
  publish(rows: readonly UnroutableRow[], now: number): void {
    for (const { channel, count } of rows) {
      const last = this.loggedAt.get(channel);
      if (last !== undefined && now - last < UNROUTABLE_LOG_EVERY_MS) continue;
      this.loggedAt.set(channel, now);
      this.logger.error(
        { code: 'PB_OUTBOX_UNKNOWN_CHANNEL', channel, count },
        `${count} outbox message(s) for channel "${channel}" are due but no deliverer is registered for it in this process; they stay pending (nothing is lost) until outbox.register("${channel}", deliverer) is called.`,
      );
      this.emit(['unroutable', { channel, count }]);
    }
  }
}
