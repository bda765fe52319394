/**
 * The last `size` durations of an extension's listeners, for a p99 that follows the present
 * rather than the whole history; the mean is kept over every call.
 */
export class DurationWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  private total = 0;
  private count = 0;

  constructor(size = 1024) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`DurationWindow size must be a positive integer; got ${size}.`);
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
    this.total += ms;
    this.count++;
  }

  /** Mean over every sample ever added (0 before the first). */
  get mean(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  /** The `q` quantile (0..1) of the samples in the window, nearest rank (0 before the first). */
  quantile(q: number): number {
    if (this.filled === 0) return 0;
    const sorted = Array.from(this.samples.subarray(0, this.filled)).sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank];
  }
}
