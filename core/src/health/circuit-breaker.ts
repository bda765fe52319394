/** When an extension's breaker opens: `failures` consecutive failures within `windowMs`. */
export interface BreakerOptions {
  /** Consecutive failed calls (error, timeout, invalid result) that open the breaker. Default 5. */
  readonly failures?: number;
  /** The failures must all fall within this many milliseconds. Default 60 000. */
  readonly windowMs?: number;
}

/**
 * Counts one extension's consecutive failures; any success starts the count again, and so does
 * a failure streak that took longer than the window (slow, sporadic failures are not a storm).
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failures: 3, windowMs: 10_000 });
 * if (breaker.failure(Date.now())) await manager.disable('stats', { reason: breaker.reason() });
 * ```
 */
export class CircuitBreaker {
  readonly failures: number;
  readonly windowMs: number;
  private streak: number[] = [];

  constructor(options: BreakerOptions = {}) {
    this.failures = options.failures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    if (!Number.isInteger(this.failures) || this.failures < 1) {
      throw new RangeError(`breaker.failures must be a positive integer; got ${String(options.failures)}.`);
    }
    if (!(this.windowMs > 0)) throw new RangeError(`breaker.windowMs must be a positive number of milliseconds; got ${String(options.windowMs)}.`);
  }

  /** The consecutive failures counted so far. */
  get consecutive(): number {
    return this.streak.length;
  }

  success(): void {
    this.streak = [];
  }

  /** Counts a failure at `now`; true when this one opens the breaker. */
  failure(now: number): boolean {
    this.streak.push(now);
    while (this.streak.length > 0 && now - this.streak[0] > this.windowMs) this.streak.shift();
    return this.streak.length >= this.failures;
  }

  /** The reason recorded when the breaker opens. */
  reason(): string {
    const seconds = Math.round(this.windowMs / 100) / 10;
    return `circuit breaker: ${this.failures} consecutive failed calls within ${seconds} s`;
  }
}
