/**
 * Helpers for the I/O benchmarks (mail, webhooks, Redis): temp dirs, a counter that resolves
 * when a target count is reached, and a bounded-concurrency runner. Throughput is measured
 * wall-clock from the first operation to the last completion.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pb-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Counts completions; `until(n, timeoutMs)` resolves when the count reached `n` (counted from the
 * last `reset()`), and rejects after `timeoutMs` naming how far it got.
 */
export class Counter {
  private count = 0;
  private waiter: { n: number; resolve: () => void } | undefined;

  hit(): void {
    this.count += 1;
    if (this.waiter !== undefined && this.count >= this.waiter.n) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve();
    }
  }

  get value(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }

  until(n: number, timeoutMs: number, what: string): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${what}: only ${this.count} of ${n} completed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

/** Runs `op(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function runWindow(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await op(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** Seconds since `t0` (from `process.hrtime.bigint()`). */
export function secondsSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Contender name of the median per-round ratio that the throughput targets are checked on. */
export const PAIRED_RATIO = 'paired ratio';

/**
 * One round of a paired comparison: runs both contenders back to back, the baseline first in
 * even rounds and second in odd ones, so neither always runs on a warmer (or busier) machine.
 * Returns the rates as [baseline, ours] whatever the order they ran in.
 */
export async function pairedRound(round: number, baseline: () => Promise<number>, ours: () => Promise<number>): Promise<[number, number]> {
  if (round % 2 === 0) {
    const b = await baseline();
    return [b, await ours()];
  }
  const o = await ours();
  return [await baseline(), o];
}

/**
 * Median of the per-round ratios ours[i] / baseline[i]. Rounds alternate which contender runs
 * first, and each ratio compares two runs made back to back, so a machine that speeds up or
 * slows down during the benchmark (a shared 2-core VM does both) moves both sides of a ratio
 * together instead of landing on one contender's median.
 */
export function pairedRatio(ours: readonly number[], baseline: readonly number[]): number {
  return median(ours.map((o, i) => o / baseline[i]));
}

