import { newEventId, type EventContext, type EventUser } from '@plugboard/core';
import type { RulePosition } from './rule';

/** What the host knows about an HTTP API call (e.g. from a fastify `preHandler`/`onSend` hook). */
export interface HttpEventInput {
  readonly method: string;
  /** The route pattern (`/api/domains/:id`), not the concrete URL, so one event name covers all ids. */
  readonly route: string;
  readonly position: RulePosition;
  /** Reuse the request id so pre and post events of one request share it. Default: a new {@link newEventId} (UUIDv7). */
  readonly eventId?: string;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly ip?: string;
  /** The concrete path, for the record. */
  readonly path?: string;
  readonly loggedInUser?: EventUser;
  readonly user?: EventUser;
  readonly realm?: string;
  /** Post events: the response status code (< 400 is success). */
  readonly statusCode?: number;
  /** Post events: the response body. */
  readonly response?: unknown;
}

/**
 * The stable event name of an API call: upper-case method, a space, the route without query
 * string or trailing slash.
 *
 * @example
 * ```ts
 * httpEventName('post', '/api/domains/?x=1'); // 'POST /api/domains'
 * ```
 */
export function httpEventName(method: string, route: string): string {
  let path = route.split('?')[0];
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return `${method.toUpperCase()} ${path}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds the {@link EventContext} of an HTTP API call. The payload merges query, route params and
 * the body's fields (body wins); a non-object body is available as `payload.body`.
 *
 * @example
 * ```ts
 * app.addHook('preHandler', async (req) => {
 *   const ctx = httpEventContext({ method: req.method, route: req.routeOptions.url ?? req.url, position: 'pre',
 *     eventId: String(req.id), body: req.body, query: req.query as Record<string, unknown>, ip: req.ip });
 *   await engine.dispatch(ctx); // a RuleAbortError here rejects the request
 * });
 * ```
 */
export function httpEventContext(input: HttpEventInput): EventContext {
  const payload: Record<string, unknown> = { ...input.query, ...input.params };
  if (isRecord(input.body)) Object.assign(payload, input.body);
  else if (input.body !== undefined) payload.body = input.body;
  const request: { ip?: string; method: string; path?: string } = { method: input.method.toUpperCase() };
  if (input.ip !== undefined) request.ip = input.ip;
  if (input.path !== undefined) request.path = input.path;
  let result: EventContext['result'];
  if (input.position === 'post' && input.statusCode !== undefined) {
    result =
      input.statusCode < 400
        ? { status: 'success', value: input.response }
        : { status: 'failure', value: input.response, error: `HTTP ${input.statusCode}` };
  }
  return {
    eventId: input.eventId ?? newEventId(),
    event: httpEventName(input.method, input.route),
    position: input.position,
    timestamp: new Date(),
    payload,
    request,
    ...(input.loggedInUser !== undefined ? { loggedInUser: input.loggedInUser } : {}),
    ...(input.user !== undefined ? { user: input.user } : {}),
    ...(input.realm !== undefined ? { realm: input.realm } : {}),
    ...(result !== undefined ? { result } : {}),
  };
}
