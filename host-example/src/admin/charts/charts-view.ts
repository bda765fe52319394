import { html, type SafeHtml } from '../html';

const FIGURES = [
  { id: 'deliveries', title: 'Deliveries per minute', about: 'Outbox delivery attempts that succeeded and that failed (to be retried, or dead).' },
  { id: 'latency', title: 'Hook latency per extension', about: 'p50 and p99 of listener run time over the minute before each sample, for the slowest extensions.' },
  { id: 'depth', title: 'Outbox depth', about: 'Messages waiting, being delivered, and dead.' },
] as const;

/**
 * The Charts page: the last hour of the host's metrics (the same figures `/metrics` exposes),
 * drawn by uPlot from `/admin/charts/data`. Each chart has a heading, a sentence about what it
 * shows and a live summary in words of its latest values.
 */
export function chartsView(o: { readonly intervalMs: number }): SafeHtml {
  const seconds = Math.round(o.intervalMs / 100) / 10;
  return html`<link rel="stylesheet" href="/admin/assets/uPlot.min.css">
<link rel="stylesheet" href="/admin/assets/charts.css">
<p class="lead">The last hour of this server's metrics, sampled every ${String(seconds)} s; the charts refresh by themselves. Prometheus reads the same figures at <code>/metrics</code>.</p>
<p class="notice error charts-error" role="alert" hidden></p>
<div class="charts" data-charts data-source="/admin/charts/data" data-interval="${String(o.intervalMs)}">
${FIGURES.map(
  (f) => html`<figure class="card chart" data-chart="${f.id}" aria-labelledby="chart-${f.id}">
<h2 id="chart-${f.id}">${f.title}</h2>
<p class="muted">${f.about}</p>
<p class="chart-summary" aria-live="polite">Loading…</p>
<div class="chart-plot"></div>
</figure>`,
)}
</div>
<noscript><p class="card">The charts need JavaScript. The figures are at <a href="/admin/charts/data">/admin/charts/data</a> (JSON).</p></noscript>
<script src="/admin/assets/uPlot.iife.min.js" defer></script>
<script src="/admin/assets/charts.js" defer></script>`;
}
