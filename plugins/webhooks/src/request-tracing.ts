import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { PostRequest, PostResponse } from './http-client';

const tracer = () => trace.getTracer('@plugboard/webhooks');

/** The URL as spans may show it: the masked form when given, else without query and credentials. */
function shownUrl(request: PostRequest): string {
  if (request.safeUrl !== undefined) return request.safeUrl;
  try {
    const u = new URL(request.url);
    return u.origin + u.pathname;
  } catch {
    return '(invalid)';
  }
}

/**
 * Sends a webhook POST in an HTTP client span (semantic conventions `http.*`, `url.full` without
 * secrets) and adds the W3C `traceparent` of that span to the request headers, so the receiver
 * continues the trace. Without an SDK the span is a no-op and no header is added.
 */
export async function tracedPost(request: PostRequest, send: (request: PostRequest) => Promise<PostResponse>): Promise<PostResponse> {
  const span = tracer().startSpan('POST', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.full': shownUrl(request) } });
  const headers: Record<string, string> = { ...request.headers };
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    const res = await send({ ...request, headers });
    span.setAttribute('http.response.status_code', res.status);
    // A 4xx/5xx answer is the receiver's error: the client span fails (HTTP semantic conventions).
    if (res.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.status}` });
    return res;
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
