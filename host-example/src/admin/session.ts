import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the HttpOnly cookie carrying the admin page's session token (the API's token). */
export const SESSION_COOKIE = 'pb_admin_session';

/** The session token sent in the `Cookie` header, if any. */
export function sessionToken(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  // Cookie header syntax is `name=value; name2=value2` (RFC 6265 §4.2.1); our value is base64url, never quoted.
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/**
 * Sets (token) or clears (undefined) the session cookie: HttpOnly so page scripts never see
 * it, SameSite=Strict so no other site can post forms with it, scoped to `/admin`.
 */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string | undefined): void {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  const value = token === undefined ? `${SESSION_COOKIE}=; Max-Age=0` : `${SESSION_COOKIE}=${token}; Max-Age=${12 * 60 * 60}`;
  reply.header('set-cookie', `${value}; Path=/admin; HttpOnly; SameSite=Strict${secure}`);
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
