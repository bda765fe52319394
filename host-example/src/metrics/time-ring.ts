/**
 * A bounded, time-ordered list: at most `capacity` entries, none older than `maxAgeMs`. The
 * oldest go first, so memory stays fixed however long the host runs.
 *
 * @example
 * ```ts
 * const ring = new TimeRing<number>({ capacity: 361, maxAgeMs: 3_600_000 });
 * ring.push(Date.now(), 42);
 * ring.values(); // [42]
 * ```
 */
export class TimeRing<T> {
  private readonly entries: { at: number; value: T }[] = [];

  constructor(private readonly limits: { readonly capacity: number; readonly maxAgeMs: number }) {}

  push(at: number, value: T): void {
    this.entries.push({ at, value });
    while (this.entries.length > this.limits.capacity || (this.entries.length > 0 && this.entries[0].at < at - this.limits.maxAgeMs)) this.entries.shift();
  }

  /** Every value, oldest first. */
  values(): T[] {
    return this.entries.map((e) => e.value);
  }

  /** The newest value. */
  last(): T | undefined {
    return this.entries.at(-1)?.value;
  }

  /** The newest value taken at or before `at`, else the oldest one. */
  atOrBefore(at: number): T | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].at <= at) return this.entries[i].value;
    return this.entries[0]?.value;
  }
}
