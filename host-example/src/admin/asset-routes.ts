import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminPage } from './admin-page';
import { ADMIN_CSS, ADMIN_JS, vendorScripts } from './assets';

/**
 * The assets of the admin page, served by the host (no CDN): its CSS and script, htmx and its SSE extension.
 *
 * @example
 * ```ts
 * assetRoutes(page);
 * ```
 */
export function assetRoutes({ admin }: AdminPage): void {
  let vendor: ReturnType<typeof vendorScripts> | undefined;
  const asset = (type: string, body: () => string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type(type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(body());
  admin.get('/assets/admin.css', asset('text/css; charset=utf-8', () => ADMIN_CSS));
  admin.get('/assets/admin.js', asset('text/javascript; charset=utf-8', () => ADMIN_JS));
  admin.get('/assets/htmx.min.js', asset('text/javascript; charset=utf-8', () => (vendor ??= vendorScripts()).htmx));
  admin.get('/assets/sse.js', asset('text/javascript; charset=utf-8', () => (vendor ??= vendorScripts()).sse));
}
