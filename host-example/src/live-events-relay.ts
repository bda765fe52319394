import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { notify, type SqlDatabase, type Work } from '@plugboard/sql';
import type { Logger } from 'pino';
import type { LiveEvents } from './live-events';
import { decodeLiveEvent, encodeLiveEvent } from './live-events-wire';

/** The topic live events travel on between the processes of one database. */
export const LIVE_EVENTS_TOPIC = 'live-events';

// The live log is best effort: past this many unsent events (the database is slow or away), new ones are dropped.
const MAX_QUEUED = 1000;

/** Options of {@link LiveEventsRelay.start}. */
export interface LiveEventsRelayOptions {
  /** This process's id in the other processes' entries. Default `<hostname>:<pid>:<random>`. */
  readonly processId?: string;
  readonly logger: Pick<Logger, 'warn'>;
}

function* notifyAll(payloads: readonly string[]): Work<void> {
  for (const p of payloads) yield* notify(LIVE_EVENTS_TOPIC, p);
}

/**
 * Shares a host's live events with every process on the same PostgreSQL database: each event
 * raised here is announced on the `live-events` topic (at most ~7.5 kB, larger ones truncated
 * with a marker), and the other processes' events are published on this hub marked with their
 * `origin` (their process id), so one admin page shows the events of every process. Sending
 * happens in the background, in batches; it never slows or fails a hook call.
 *
 * @example
 * ```ts
 * const relay = await LiveEventsRelay.start(host.liveEvents, await SqlDatabase.open(url), { logger });
 * // … at close
 * await relay.close();
 * ```
 */
export class LiveEventsRelay {
  private queue: string[] = [];
  private flushing: Promise<void> | undefined;
  private readonly undo: (() => void)[] = [];
  private dropped = false;

  private constructor(
    private readonly db: SqlDatabase,
    readonly processId: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Starts relaying; resolves once this process listens to the others. */
  static async start(live: LiveEvents, db: SqlDatabase, options: LiveEventsRelayOptions): Promise<LiveEventsRelay> {
    const relay = new LiveEventsRelay(db, options.processId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, options.logger);
    relay.undo.push(
      await db.listen(LIVE_EVENTS_TOPIC, (payload) => {
        const received = payload === undefined ? undefined : decodeLiveEvent(payload, relay.processId);
        if (received?.event === 'call') live.publish('call', received.entry);
        else if (received?.event === 'outbox') live.publish('outbox', received.entry);
      }),
    );
    // Entries with an origin came from another process: sending them back would echo forever.
    relay.undo.push(
      live.subscribe('call', (c) => {
        if (c.origin === undefined) relay.send(encodeLiveEvent(relay.processId, 'call', c));
      }),
      live.subscribe('outbox', (o) => {
        if (o.origin === undefined) relay.send(encodeLiveEvent(relay.processId, 'outbox', o));
      }),
    );
    return relay;
  }

  private send(payload: string): void {
    if (this.queue.length >= MAX_QUEUED) {
      if (!this.dropped) this.logger.warn({ queued: this.queue.length }, 'Live events are not reaching the database fast enough; new ones are not shared with the other processes until it catches up.');
      this.dropped = true;
      return;
    }
    this.queue.push(payload);
    this.flushing ??= this.flush();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 50);
      try {
        await this.db.transact(notifyAll(batch));
        this.dropped = false;
      } catch (err) {
        this.logger.warn({ err, lost: batch.length }, `Could not share ${batch.length} live event(s) with the other processes: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.flushing = undefined;
  }

  /** Stops relaying, after sending what is queued. The database stays open. */
  async close(): Promise<void> {
    for (const u of this.undo.splice(0)) u();
    await this.flushing;
  }
}
