import { EventEmitter } from 'node:events';
import type { CallReport } from '@plugboard/core';

/** One hook call as the live log shows it. */
export interface LiveCall {
  readonly hook: string;
  /** The arguments in order (name them with `bus.explain(hook).params`): JSON-safe, secrets redacted, long values shortened. */
  readonly args: readonly unknown[];
  /** Per listener: extension, ok/error/timeout, duration. */
  readonly report: CallReport;
  /** Set when the call failed (its message). */
  readonly error?: string;
  /** `module/<id>` when the call was raised for an event received from Redis; `process/<id>` when another process on the same database made it. */
  readonly source?: string;
  /** The process that made the call, when not this one (see `LiveEventsRelay`). */
  readonly origin?: string;
  readonly at: string;
}

/** What an outbox message did, for the live log. */
export interface LiveOutboxEvent {
  readonly type: 'delivered' | 'retry' | 'dead';
  readonly id: string;
  readonly channel: string;
  readonly attempt: number;
  readonly error?: string;
  /** The process whose outbox it was, when not this one (see `LiveEventsRelay`). */
  readonly origin?: string;
  readonly at: string;
}

/** Event map of {@link LiveEvents}. */
export interface LiveEventMap {
  call: [call: LiveCall];
  outbox: [event: LiveOutboxEvent];
}

/**
 * The host's live event hub: every hook call (shaped like core's `CallRecord`, so it feeds
 * anything that consumes `bus.intercept({ after })` records) (`'call'`) and every outbox outcome (`'outbox'`),
 * for live views such as the admin page's event log. Listeners must be quick; a throwing
 * listener is not the host's problem (events are emitted after the work is done).
 *
 * @example
 * ```ts
 * const off = host.liveEvents.subscribe('call', (c) => console.log(c.hook, c.report.listeners.length));
 * // … later
 * off();
 * ```
 */
export class LiveEvents extends EventEmitter<LiveEventMap> {
  constructor() {
    super();
    // Many admin pages may watch at once; a leak warning at 11 listeners would be noise.
    this.setMaxListeners(0);
  }

  /** Adds a listener and returns its removal. */
  subscribe<K extends keyof LiveEventMap>(event: K, listener: (...args: LiveEventMap[K]) => void): () => void {
    this.on(event, listener as never);
    return () => {
      this.off(event, listener as never);
    };
  }

  /** Emits without ever throwing into the caller (a failing live view must not fail a hook call). */
  publish<K extends keyof LiveEventMap>(event: K, ...args: LiveEventMap[K]): void {
    try {
      (this.emit as (name: string, ...values: unknown[]) => boolean)(event, ...args);
    } catch {
      // A broken live view only loses its own update.
    }
  }
}
