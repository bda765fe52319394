import type { Registry } from 'prom-client';
import { histogramQuantile, type Bucket } from './histogram-quantile';
import { snapshotRegistry, type RegistrySnapshot } from './registry-snapshot';
import { TimeRing } from './time-ring';

/** One point of the admin charts. */
export interface ChartSample {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Delivered and failed (retry or dead) outbox attempts per minute since the previous sample; null for the first. */
  readonly deliveredPerMin: number | null;
  readonly failedPerMin: number | null;
  /** Outbox messages per state. */
  readonly depth: Readonly<Record<string, number>>;
  /** Listener latency per extension over the latency window, milliseconds (extensions that ran in it). */
  readonly latencyMs: Readonly<Record<string, { readonly p50: number; readonly p99: number }>>;
}

/** Options of {@link MetricsSampler}. */
export interface MetricsSamplerOptions {
  /** How often to sample. Default 10 000 ms. */
  readonly intervalMs?: number;
  /** How much history to keep. Default one hour. */
  readonly historyMs?: number;
  /** Latency percentiles cover the calls of this long before each sample. Default 60 000 ms. */
  readonly latencyWindowMs?: number;
}

const HOUR = 3_600_000;

function perMinute(now: number, before: number, ms: number): number {
  return ms <= 0 ? 0 : (Math.max(0, now - before) * 60_000) / ms;
}

/** Bucket counts of `now` minus those of `before` (same bounds; an extension new since then counts from 0). */
function minus(now: readonly Bucket[], before: readonly Bucket[] | undefined): Bucket[] {
  const old = new Map(before ?? []);
  return now.map(([le, n]) => [le, Math.max(0, n - (old.get(le) ?? 0))] as const);
}

/**
 * Samples the host's metrics registry every `intervalMs` into a bounded in-memory history (an
 * hour by default) for the admin charts: delivery rate and failures, listener latency per
 * extension (p50/p99), outbox depth. `sample()` takes one on demand.
 *
 * @example
 * ```ts
 * const sampler = new MetricsSampler(metrics.registry, { intervalMs: 10_000 });
 * sampler.start();
 * sampler.samples(); // [{ at, deliveredPerMin, failedPerMin, depth, latencyMs }, …]
 * ```
 */
export class MetricsSampler {
  readonly intervalMs: number;
  private readonly latencyWindowMs: number;
  private readonly raw: TimeRing<RegistrySnapshot>;
  private readonly points: TimeRing<ChartSample>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: Registry,
    options: MetricsSamplerOptions = {},
  ) {
    this.intervalMs = Math.max(10, options.intervalMs ?? 10_000);
    this.latencyWindowMs = options.latencyWindowMs ?? 60_000;
    const historyMs = options.historyMs ?? HOUR;
    const limits = { capacity: Math.ceil(historyMs / this.intervalMs) + 1, maxAgeMs: historyMs };
    this.raw = new TimeRing(limits);
    this.points = new TimeRing(limits);
  }

  /** Takes a first sample now, then one every interval (the timer never keeps the process alive). */
  start(): void {
    if (this.timer !== undefined) return;
    const tick = (): void => void this.sample().catch(() => undefined);
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the registry now and adds the point to the history. */
  async sample(at = Date.now()): Promise<ChartSample> {
    const now = await snapshotRegistry(this.registry, at);
    const previous = this.raw.last();
    const windowStart = this.raw.atOrBefore(at - this.latencyWindowMs);
    const latencyMs: Record<string, { p50: number; p99: number }> = {};
    for (const [extension, buckets] of now.latency) {
      const recent = minus(buckets, windowStart?.latency.get(extension));
      const p50 = histogramQuantile(0.5, recent);
      const p99 = histogramQuantile(0.99, recent);
      if (p50 !== undefined && p99 !== undefined) latencyMs[extension] = { p50: p50 * 1000, p99: p99 * 1000 };
    }
    const span = previous === undefined ? 0 : at - previous.at;
    const point: ChartSample = {
      at,
      deliveredPerMin: previous === undefined ? null : perMinute(now.delivered, previous.delivered, span),
      failedPerMin: previous === undefined ? null : perMinute(now.failed, previous.failed, span),
      depth: now.depth,
      latencyMs,
    };
    this.raw.push(at, now);
    this.points.push(at, point);
    return point;
  }

  /** The history, oldest first. */
  samples(): readonly ChartSample[] {
    return this.points.values();
  }
}
