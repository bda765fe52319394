/** One bucket of a cumulative histogram: upper bound (`Infinity` for `+Inf`) and observations ≤ it. */
export type Bucket = readonly [le: number, cumulative: number];

/**
 * The `q`-quantile (0..1) of a cumulative histogram, interpolated linearly inside the bucket
 * it falls in, as Prometheus' `histogram_quantile` does; undefined without observations. A
 * quantile in the `+Inf` bucket is reported as the highest finite bound (nothing better is known).
 *
 * @example
 * ```ts
 * histogramQuantile(0.5, [[0.1, 0], [1, 4], [Infinity, 4]]); // 0.55
 * ```
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  for (let i = 0; i < sorted.length; i++) {
    const [le, cumulative] = sorted[i];
    if (cumulative < rank) continue;
    const [lower, before] = i === 0 ? [0, 0] : sorted[i - 1];
    if (le === Infinity) return lower;
    return cumulative === before ? le : lower + ((le - lower) * (rank - before)) / (cumulative - before);
  }
  return sorted.at(-2)?.[0];
}
