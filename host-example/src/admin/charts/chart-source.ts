import type { ChartSample } from '../../metrics/metrics-sampler';

/** What the Charts page reads: the sampled history of the host's metrics (the host's `MetricsSampler`). */
export interface ChartSource {
  /** How often a sample is taken, in milliseconds (the page refreshes as often, at most every 2 s). */
  readonly intervalMs: number;
  /** The history, oldest first. */
  samples(): readonly ChartSample[];
}
