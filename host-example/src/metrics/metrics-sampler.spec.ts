import { Counter, Histogram, Registry } from 'prom-client';
import { histogramQuantile } from './histogram-quantile';
import { MetricsSampler } from './metrics-sampler';

function registry() {
  const r = new Registry();
  const attempts = new Counter({ name: 'plugboard_outbox_attempts_total', help: 'a', labelNames: ['channel', 'outcome'], registers: [r] });
  const durations = new Histogram({ name: 'plugboard_listener_duration_seconds', help: 'd', labelNames: ['hook', 'extension'], buckets: [0.001, 0.01, 0.1, 1], registers: [r] });
  return { r, attempts, durations };
}

describe('histogramQuantile', () => {
  it('interpolates inside the bucket the quantile falls in, like Prometheus', () => {
    expect(histogramQuantile(0.5, [[0.1, 0], [1, 4], [Infinity, 4]])).toBeCloseTo(0.55);
    expect(histogramQuantile(0.99, [[0.1, 0], [1, 1], [Infinity, 2]])).toBe(1);
    expect(histogramQuantile(0.5, [[1, 0], [Infinity, 0]])).toBeUndefined();
  });
});

describe('MetricsSampler', () => {
  it('turns counters into delivered and failed per minute between samples', async () => {
    const { r, attempts } = registry();
    const sampler = new MetricsSampler(r, { intervalMs: 1000 });
    expect((await sampler.sample(0)).deliveredPerMin).toBeNull();
    attempts.inc({ channel: 'smtp', outcome: 'delivered' }, 3);
    attempts.inc({ channel: 'webhook', outcome: 'retry' });
    attempts.inc({ channel: 'webhook', outcome: 'dead' });
    expect(await sampler.sample(30_000)).toMatchObject({ deliveredPerMin: 6, failedPerMin: 4 });
  });

  it('gives p50 and p99 per extension over the latency window only, summed over hooks', async () => {
    const { r, durations } = registry();
    const sampler = new MetricsSampler(r, { intervalMs: 1000, latencyWindowMs: 10_000 });
    for (let i = 0; i < 100; i++) durations.observe({ hook: 'A', extension: 'slow' }, 0.5);
    await sampler.sample(0);
    for (let i = 0; i < 99; i++) durations.observe({ hook: 'A', extension: 'fast' }, 0.0005);
    durations.observe({ hook: 'B', extension: 'fast' }, 0.05);
    const point = await sampler.sample(20_000);
    // The slow calls happened before the window: only the fast extension ran in it.
    expect(Object.keys(point.latencyMs)).toEqual(['fast']);
    expect(point.latencyMs.fast.p50).toBeLessThan(1);
    expect(point.latencyMs.fast.p99).toBeGreaterThanOrEqual(1);
  });

  it('keeps at most an hour of samples', async () => {
    const { r } = registry();
    const sampler = new MetricsSampler(r, { intervalMs: 60_000 });
    for (let m = 0; m <= 120; m++) await sampler.sample(m * 60_000);
    const at = sampler.samples().map((s) => s.at);
    expect(at).toHaveLength(61);
    expect(at[0]).toBe(60 * 60_000);
  });
});
