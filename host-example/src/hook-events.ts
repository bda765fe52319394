import { AsyncLocalStorage } from 'node:async_hooks';
import { isSecretName, maskUrl, type EventUser } from '@plugboard/core';
import type { HookEventParts } from '@plugboard/rules';
import type { User } from './model';


/** What replaces a secret value. */
export const REDACTED = '***';

/**
 * A JSON-safe copy of `value`: secrets (by field name, the fallback of core's declared masking) replaced
 * by `***`, passwords and query values of URLs masked, functions and symbols
 * named instead of copied, cycles cut, and (with `maxString`) long strings shortened.
 *
 * @example
 * ```ts
 * jsonSafe({ username: 'ann', password: 'x', run: () => 1 }); // { username: 'ann', password: '***', run: '[function run]' }
 * ```
 */
export function jsonSafe(value: unknown, options: { maxString?: number; maxDepth?: number; maxItems?: number } = {}): unknown {
  const maxDepth = options.maxDepth ?? 8;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    if (typeof v === 'string') {
      const masked = maskUrl(v);
      return options.maxString !== undefined && masked.length > options.maxString ? `${masked.slice(0, options.maxString)}…` : masked;
    }
    if (typeof v === 'undefined') return undefined;
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
    if (typeof v === 'symbol') return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Error) return { error: v.name, message: v.message };
    const obj = v as object;
    if (seen.has(obj)) return '[circular]';
    if (depth >= maxDepth) return '[…]';
    seen.add(obj);
    try {
      if (Array.isArray(v)) {
        const items = options.maxItems !== undefined ? v.slice(0, options.maxItems) : v;
        const out = items.map((x) => walk(x, depth + 1) ?? null);
        if (items.length < v.length) out.push(`… ${v.length - items.length} more`);
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (isSecretName(k)) {
          if (x !== undefined && x !== null && x !== '') out[k] = REDACTED;
          continue;
        }
        const w = walk(x, depth + 1);
        if (w !== undefined) out[k] = w;
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  return walk(value, 0);
}

/**
 * The payload of a hook call: each argument under its declared parameter name (`account`,
 * `domain`…), or `arg0`, `arg1`… for hooks that declare none; JSON-safe, secrets redacted.
 *
 * @example
 * ```ts
 * hookPayload(['account'], [ann]); // { account: { id: 2, username: 'ann@example.com', … } }
 * ```
 */
export function hookPayload(params: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  args.forEach((arg, i) => {
    const name = params[i] ?? `arg${i}`;
    payload[name] = isSecretName(name) ? (arg === undefined || arg === '' ? arg : REDACTED) : jsonSafe(arg);
  });
  return payload;
}

/** The hook arguments back from a payload made by {@link hookPayload} (for events received from Redis). */
export function hookArgs(params: readonly string[], payload: Readonly<Record<string, unknown>>): unknown[] {
  const args = params.map((p) => payload[p]);
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return args;
}

function isUser(v: unknown): v is User {
  return typeof v === 'object' && v !== null && typeof (v as User).username === 'string' && typeof (v as User).role === 'string' && typeof (v as User).id === 'number';
}

/** The realm of a user: the domain of its e-mail login (privacyIDEA realm ≈ Modoboa domain); none for plain admin logins. */
export function realmOf(username: string): string | undefined {
  const at = username.lastIndexOf('@');
  return at > 0 ? username.slice(at + 1).toLowerCase() : undefined;
}

/**
 * A host user as the rules engine and notifications see it: `realm` is the domain of the
 * login, `email` the account's e-mail (or its login when that is an address).
 */
export function eventUser(user: User): EventUser {
  const realm = realmOf(user.username);
  const email = user.email !== '' ? user.email : user.username.includes('@') ? user.username : undefined;
  return {
    username: user.username,
    role: user.role,
    ...(realm !== undefined ? { realm } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(user.firstName !== '' ? { givenname: user.firstName } : {}),
    ...(user.lastName !== '' ? { surname: user.lastName } : {}),
    ...(user.mobile !== undefined && user.mobile !== '' ? { mobile: user.mobile } : {}),
  };
}

/** Who acts and from where, for the current HTTP request or CLI command. */
export interface ActingScope {
  readonly loggedInUser?: User;
  readonly ip?: string;
  readonly method?: string;
  readonly path?: string;
}

/**
 * The acting user of the code running now: set by the API for each request and by the CLI
 * for each command, read when a hook call becomes a rules event.
 */
export const actingScope = new AsyncLocalStorage<ActingScope>();

/** Marks hook calls raised for an event received from Redis (they are not published or ruled again). */
export const remoteEventScope = new AsyncLocalStorage<{ readonly source: string; readonly name: string }>();

/**
 * Maps a hook call to the parts of its rules event: the payload by parameter name, the user
 * the event is about (the first `User` argument: `account`, `user`, `owner`…), the logged-in
 * user and client IP of the current request, and the realm (the user's, else the actor's).
 */
export function hookEventParts(params: readonly string[], args: readonly unknown[]): HookEventParts {
  const payload = hookPayload(params, args);
  const subject = args.find(isUser);
  const scope = actingScope.getStore();
  const user = subject !== undefined ? eventUser(subject) : undefined;
  const loggedInUser = scope?.loggedInUser !== undefined ? eventUser(scope.loggedInUser) : undefined;
  const realm = user?.realm ?? loggedInUser?.realm;
  const request =
    scope?.ip !== undefined || scope?.method !== undefined
      ? { ...(scope.ip !== undefined ? { ip: scope.ip } : {}), ...(scope.method !== undefined ? { method: scope.method } : {}), ...(scope.path !== undefined ? { path: scope.path } : {}) }
      : undefined;
  return {
    payload,
    ...(user !== undefined ? { user } : {}),
    ...(loggedInUser !== undefined ? { loggedInUser } : {}),
    ...(request !== undefined ? { request } : {}),
    ...(realm !== undefined ? { realm } : {}),
  };
}
