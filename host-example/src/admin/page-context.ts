import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../model';
import type { AdminHost } from './admin-host';
import type { SafeHtml } from './html';
import type { PageOptions, SectionId } from './layout';

/**
 * What a page registered inside the admin scope gets from `registerAdmin`: the host, the
 * `/admin` fastify scope (its login check and form parser already apply), the logged-in
 * SuperAdmin of each request, and the renderers that wrap a body in the admin layout.
 *
 * @example
 * ```ts
 * export function registerSmtpPage(ctx: AdminPageContext): void {
 *   ctx.admin.get('/smtp', async (req, reply) => ctx.section(req, reply, 'smtp', 'Mail servers (SMTP)', html`<p>…</p>`));
 * }
 * ```
 */
export interface AdminPageContext {
  readonly host: AdminHost;
  /** The fastify scope mounted at `/admin`: routes are registered without the prefix. */
  readonly admin: FastifyInstance;
  /** The SuperAdmin who made each request (set by the admin scope's login check). */
  readonly users: WeakMap<FastifyRequest, User>;
  render(reply: FastifyReply, status: number, opts: Omit<PageOptions, 'username'>, req: FastifyRequest): FastifyReply;
  section(req: FastifyRequest, reply: FastifyReply, id: SectionId, title: string, body: SafeHtml, status?: number): FastifyReply;
}
