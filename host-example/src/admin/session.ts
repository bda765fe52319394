import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Name of the HttpOnly cookie carrying the admin page's session token (the API's token). */
export const SESSION_COOKIE = 'pb_admin_session';

/** Parses cookies with @fastify/cookie (RFC 6265 parsing, `reply.setCookie`) for every route of `app`. */
export function registerSessionCookies(app: FastifyInstance): void {
  void app.register(fastifyCookie);
}

/** The session token sent in the `Cookie` header, if any. */
export function sessionToken(req: FastifyRequest): string | undefined {
  const value = req.cookies[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Sets (token) or clears (undefined) the session cookie: HttpOnly so page scripts never see
 * it, SameSite=Strict so no other site can post forms with it, scoped to `/admin`.
 */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string | undefined): void {
  const options = { path: '/admin', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' } as const;
  if (token === undefined) void reply.clearCookie(SESSION_COOKIE, options);
  else void reply.setCookie(SESSION_COOKIE, token, { ...options, maxAge: 12 * 60 * 60 });
}

/** A parsed `application/x-www-form-urlencoded` body: every field with all its values, in order. */
export type FormBody = Readonly<Record<string, readonly string[]>>;

/** Parses a urlencoded form body with the platform's `URLSearchParams`. */
export function parseForm(text: string): FormBody {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) (out[k] ??= []).push(v);
  return out;
}

/** The last value of a form field ('' when absent): a hidden `false` before a checkbox `true` reads as the checkbox. */
export function field(form: FormBody, name: string): string {
  const values = form[name];
  return values === undefined || values.length === 0 ? '' : values[values.length - 1];
}
