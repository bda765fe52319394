import { OutboxError } from '../errors';
import type { OutboxStore } from '../store';
import type { DrainOptions } from '../types';

interface Drainer {
  readonly includeScheduled: boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/** The pending `drain()` calls: each resolves once nothing it waits for is left. */
export class Drainers {
  private readonly waiting = new Set<Drainer>();

  get size(): number {
    return this.waiting.size;
  }

  /** A promise that settles when {@link settle} finds nothing left, or rejects after `timeoutMs`. */
  wait(options: DrainOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const drainer: Drainer = { includeScheduled: options.includeScheduled ?? false, resolve, reject };
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        drainer.timer = setTimeout(() => {
          this.finish(drainer);
          reject(new OutboxError('PB_OUTBOX_DRAIN_TIMEOUT', `drain() gave up after ${ms} ms with messages still due; see outbox.list({ state: 'pending' }).`));
        }, ms);
      }
      this.waiting.add(drainer);
    });
  }

  /**
   * Resolves the drainers with nothing left to wait for. Call only while no attempt is in flight
   * or waiting to be recorded; `routable` says whether any channel has a deliverer.
   */
  settle(store: OutboxStore, routable: boolean, now: number): void {
    let due: boolean | undefined;
    let active: boolean | undefined;
    for (const d of [...this.waiting]) {
      const busy = d.includeScheduled ? (active ??= routable && store.hasActive()) : (due ??= routable && store.hasDue(now));
      if (busy) continue;
      this.finish(d);
      d.resolve();
    }
  }

  /** Rejects every pending drain() with the error `reason` makes for it. */
  rejectAll(reason: () => Error): void {
    for (const d of [...this.waiting]) {
      this.finish(d);
      d.reject(reason());
    }
  }

  private finish(d: Drainer): void {
    if (d.timer !== undefined) clearTimeout(d.timer);
    this.waiting.delete(d);
  }
}
