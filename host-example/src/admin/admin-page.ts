import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestInfo, User } from '../model';
import type { AdminHost } from './admin-host';
import type { SafeHtml } from './html';
import { page, type PageOptions, type SectionId } from './layout';
import type { FormBody } from './session';

// Everything the page loads comes from this host; no inline scripts, no eval (htmx is told so too).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The request as the hooks see it (`UserLogin`, `UserLogout`). */
export function requestInfo(req: FastifyRequest): RequestInfo {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), method: req.method, url: req.url };
}

/** A query string as form values (fastify gives a string or an array per key). */
export function queryForm(req: FastifyRequest): FormBody {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
  }
  return out;
}

/** The parsed form of a POST (empty when there is none). */
export function formOf(req: FastifyRequest): FormBody {
  const b = req.body;
  return b !== null && typeof b === 'object' ? (b as FormBody) : {};
}

/** Only same-site paths under /admin are followed after login (no open redirect). */
export function safeNext(next: string): string {
  return /^\/admin(\/[^/\\]|$|\?)/.test(next) && !next.includes('//') ? next : '/admin/extensions';
}

/** `/admin/x?notice=…` or `?error=…`: the page after a POST says what happened (post/redirect/get). */
export function back(reply: FastifyReply, path: string, outcome: { notice?: string; error?: string }): FastifyReply {
  const q = new URLSearchParams();
  if (outcome.notice !== undefined) q.set('notice', outcome.notice);
  if (outcome.error !== undefined) q.set('error', outcome.error);
  const s = q.toString();
  return reply.redirect(s === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${s}`, 303);
}

/**
 * What each admin page's routes get: the host, the `/admin` fastify scope, and the page helpers
 * (the logged-in SuperAdmin of a request, rendering a section with the request's notices).
 */
export interface AdminPage {
  readonly host: AdminHost;
  /** The `/admin` scope routes are added to. */
  readonly admin: FastifyInstance;
  /** The SuperAdmin a request was authenticated as. */
  readonly users: WeakMap<FastifyRequest, User>;
  /** Renders a whole page with the request's user. */
  readonly render: (reply: FastifyReply, status: number, o: Omit<PageOptions, 'username'>, req: FastifyRequest) => FastifyReply;
  /** Renders a section of the page, with the notice or error the query carries. */
  readonly section: (req: FastifyRequest, reply: FastifyReply, id: SectionId, title: string, body: SafeHtml, status?: number) => FastifyReply;
}

/**
 * The page helpers of an `/admin` scope.
 *
 * @example
 * ```ts
 * const ctx = adminPage(host, admin, new WeakMap());
 * ```
 */
export function adminPage(host: AdminHost, admin: FastifyInstance, users: WeakMap<FastifyRequest, User>): AdminPage {
  const render = (reply: FastifyReply, status: number, o: Omit<PageOptions, 'username'>, req: FastifyRequest): FastifyReply => {
    const user = users.get(req);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .headers({ 'cache-control': 'no-store', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' })
      .send(page({ ...o, ...(user !== undefined ? { username: user.username } : {}) }).value);
  };
  const notices = (req: FastifyRequest): { notice?: string; error?: string } => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    return { ...(typeof q.notice === 'string' ? { notice: q.notice } : {}), ...(typeof q.error === 'string' ? { error: q.error } : {}) };
  };
  const section = (req: FastifyRequest, reply: FastifyReply, id: SectionId, title: string, body: SafeHtml, status = 200): FastifyReply =>
    render(reply, status, { title, section: id, body, ...notices(req) }, req);
  return { host, admin, users, render, section };
}
