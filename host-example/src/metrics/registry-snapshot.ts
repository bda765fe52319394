import type { Registry } from 'prom-client';
import type { Bucket } from './histogram-quantile';

/** The cumulative figures the charts are computed from, read from the registry at one moment. */
export interface RegistrySnapshot {
  readonly at: number;
  /** Outbox attempts that delivered, and those that failed (retry or dead), since start. */
  readonly delivered: number;
  readonly failed: number;
  /** Outbox messages per state now. */
  readonly depth: Readonly<Record<string, number>>;
  /** Listener duration buckets per extension (all hooks summed), seconds, cumulative since start. */
  readonly latency: ReadonlyMap<string, readonly Bucket[]>;
}

interface Value {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

async function valuesOf(registry: Registry, name: string): Promise<readonly Value[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return [];
  return (await metric.get()).values as readonly Value[];
}

function latencyBuckets(values: readonly Value[]): Map<string, Bucket[]> {
  const byExtension = new Map<string, Map<number, number>>();
  for (const v of values) {
    if (v.metricName?.endsWith('_bucket') !== true) continue;
    const extension = String(v.labels.extension);
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    let buckets = byExtension.get(extension);
    if (buckets === undefined) byExtension.set(extension, (buckets = new Map()));
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  return new Map([...byExtension].map(([extension, buckets]) => [extension, [...buckets]]));
}

/**
 * Reads the figures behind the admin charts from the host's registry (only the few metrics
 * they need, not the whole exposition).
 */
export async function snapshotRegistry(registry: Registry, at = Date.now()): Promise<RegistrySnapshot> {
  const [attempts, depth, durations] = await Promise.all([
    valuesOf(registry, 'plugboard_outbox_attempts_total'),
    valuesOf(registry, 'plugboard_outbox_messages'),
    valuesOf(registry, 'plugboard_listener_duration_seconds'),
  ]);
  const sum = (outcomes: readonly string[]): number => attempts.filter((v) => outcomes.includes(String(v.labels.outcome))).reduce((n, v) => n + v.value, 0);
  return {
    at,
    delivered: sum(['delivered']),
    failed: sum(['retry', 'dead']),
    depth: Object.fromEntries(depth.map((v) => [String(v.labels.state), v.value])),
    latency: latencyBuckets(durations),
  };
}
