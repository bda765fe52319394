import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

const tracer = () => trace.getTracer('@plugboard/host-example');
const requests = new WeakMap<FastifyRequest, { readonly span: Span; readonly ctx: Context }>();

const isApi = (url: string | undefined): boolean => url !== undefined && url.startsWith('/api/');

/**
 * Runs `fn` in the trace context of `req`'s server span (or as is when the request has none):
 * for work done after the handler, such as the post rules of an API call.
 */
export function inRequestContext<R>(req: FastifyRequest, fn: () => R): R {
  const entry = requests.get(req);
  return entry === undefined ? fn() : context.with(entry.ctx, fn);
}

/**
 * A server span per API request (`POST /api/accounts`), continuing the caller's W3C `traceparent`,
 * with the route's handler (its pre rules and the hooks it raises) running inside it: one trace
 * then shows the API call, its rules, the outbox deliveries it queued and what crossed to other
 * processes. Without an OpenTelemetry SDK the span is the API's no-op. Call before routes are declared.
 *
 * @example
 * ```ts
 * traceRequests(app); // then app.post('/api/domains', …)
 * ```
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url;
    if (!isApi(route)) return;
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      `${req.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': req.url.split('?')[0] } },
      parent,
    );
    requests.set(req, { span, ctx: trace.setSpan(parent, span) });
  });
  // Registered after the API's own wrapper, so this one is outermost: pre rules run in the span too.
  app.addHook('onRoute', (route) => {
    if (!isApi(route.url)) return;
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      return inRequestContext(req, () => handler.call(this, req, reply));
    } as RouteHandlerMethod;
  });
  app.addHook('onResponse', async (req, reply) => endSpan(req, reply.statusCode));
}

function endSpan(req: FastifyRequest, status: number): void {
  const entry = requests.get(req);
  if (entry === undefined) return;
  entry.span.setAttribute('http.response.status_code', status);
  if (status >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
  entry.span.end();
}
