/**
 * How often a sandbox worker may be restarted: `max` restarts within `windowMs`. One more than
 * that and the extension gives up (its calls fail fast until it is loaded again).
 */
export class RestartBudget {
  private readonly times: number[] = [];

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`restarts.max must be a non-negative integer; got ${max}.`);
    if (!(windowMs > 0)) throw new RangeError(`restarts.windowMs must be a positive number of milliseconds; got ${windowMs}.`);
  }

  /** Records a restart at `now`; false when it goes over the budget. */
  take(now: number): boolean {
    while (this.times.length > 0 && now - this.times[0] > this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(now);
    return true;
  }
}
