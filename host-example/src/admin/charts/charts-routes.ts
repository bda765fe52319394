import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html';
import type { SectionId } from '../layout';
import type { ChartSource } from './chart-source';
import { CHARTS_CSS, CHARTS_JS } from './charts-script';
import { chartsView } from './charts-view';

/** Renders a section of the admin page (the admin plugin's own renderer). */
export type SectionRenderer = (req: FastifyRequest, reply: FastifyReply, id: SectionId, title: string, body: SafeHtml, status?: number) => FastifyReply;

/**
 * The Charts page under the admin prefix: `GET /charts` (the page), `GET /charts/data` (the
 * sampled history as JSON) and their assets, uPlot included (read once from the installed
 * package, no CDN). Registered inside the admin plugin, so only SuperAdmins see the page and
 * the data; assets are public like the other admin assets.
 *
 * @example
 * ```ts
 * registerChartRoutes(admin, { charts: host.charts, section });
 * ```
 */
export function registerChartRoutes(admin: FastifyInstance, deps: { readonly charts: ChartSource | undefined; readonly section: SectionRenderer }): void {
  let uplot: { readonly js: string; readonly css: string } | undefined;
  const vendor = () => (uplot ??= { js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') });
  const asset = (type: string, body: () => string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type(type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(body());
  admin.get('/assets/uPlot.iife.min.js', asset('text/javascript; charset=utf-8', () => vendor().js));
  admin.get('/assets/uPlot.min.css', asset('text/css; charset=utf-8', () => vendor().css));
  admin.get('/assets/charts.js', asset('text/javascript; charset=utf-8', () => CHARTS_JS));
  admin.get('/assets/charts.css', asset('text/css; charset=utf-8', () => CHARTS_CSS));

  const { charts, section } = deps;
  admin.get('/charts', async (req, reply) => {
    if (charts === undefined) return section(req, reply, 'charts', 'Charts', html`<p class="card">This process keeps no metrics (it does not serve or deliver).</p>`, 404);
    return section(req, reply, 'charts', 'Charts', chartsView({ intervalMs: charts.intervalMs }));
  });
  admin.get('/charts/data', async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
    return { intervalMs: charts?.intervalMs ?? null, samples: charts?.samples() ?? [] };
  });
}
