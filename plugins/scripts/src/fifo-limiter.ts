/**
 * Runs at most `max` tasks at a time; tasks beyond the bound wait in first-in first-out
 * order and are never dropped.
 *
 * @example
 * ```ts
 * const limiter = new FifoLimiter(2);
 * const results = await Promise.all(jobs.map((job) => limiter.run(job)));
 * ```
 */
export class FifoLimiter {
  readonly max: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #idleWaiters: Array<() => void> = [];

  constructor(max: number) {
    if (!(Number.isInteger(max) || max === Infinity) || max < 1) {
      throw new RangeError(`FifoLimiter bound must be an integer >= 1 or Infinity, got ${max}.`);
    }
    this.max = max;
  }

  /** Number of tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Number of tasks waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `task` when a slot is free; resolves or rejects with what `task` does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.max) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  /** Resolves when nothing runs and nothing waits. */
  whenIdle(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    // The slot passes directly to the next waiter, so a task arriving now cannot overtake the queue.
    if (next) {
      next();
      return;
    }
    this.#running--;
    if (this.#running === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}
