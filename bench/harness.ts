/**
 * A small, dependency-free timing harness: each measurement runs the operation in
 * batches, repeats the batch several times and keeps the median, so one GC pause or
 * scheduler hiccup does not decide a result.
 */

export interface Measurement {
  readonly scenario: string;
  readonly contender: string;
  readonly nsPerOp: number;
  /** Filled in once the scenario's hand-written loop is known. */
  ratioToLoop?: number;
  readonly note?: string;
}

/** Sink that keeps results alive so the optimiser cannot drop the measured work. */
export let blackhole: unknown;
export function consume(v: unknown): void {
  blackhole = v;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Measures a synchronous operation: ns per call (median of `samples` batches). */
export function timeSync(op: () => unknown, opts: { batch?: number; samples?: number; warmup?: number } = {}): number {
  const batch = opts.batch ?? 100_000;
  const samples = opts.samples ?? 9;
  for (let i = 0; i < (opts.warmup ?? batch); i++) consume(op());
  const results: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) consume(op());
    results.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  return median(results);
}

/** Measures an async operation awaited one at a time: ns per call. */
export async function timeAsync(op: () => Promise<unknown>, opts: { batch?: number; samples?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 20_000;
  const samples = opts.samples ?? 7;
  for (let i = 0; i < batch; i++) consume(await op());
  const results: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) consume(await op());
    results.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  return median(results);
}

/** Forces a full GC (node --expose-gc) and returns heapUsed. */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run the benchmark with node --expose-gc (npm run bench does).');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}
