import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

/** The W3C trace context fields carried in a message or a stream entry (empty when no propagator is registered). */
export type TraceCarrier = Record<string, string>;

/** Names of the fields a W3C propagator writes; stripped from received payloads. */
export const TRACE_FIELDS = ['traceparent', 'tracestate'] as const;

const tracer = () => trace.getTracer('@plugboard/redis');

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs a publish in a producer span; `send` gets the trace context to put in the message, so
 * the consumer (maybe in another process) continues the trace.
 */
export async function tracePublish<R>(channel: string, durable: boolean, send: (carrier: TraceCarrier) => Promise<R>): Promise<R> {
  const span = tracer().startSpan(`publish ${channel}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'redis', 'messaging.operation.type': 'send', 'messaging.operation.name': durable ? 'xadd+publish' : 'publish', 'messaging.destination.name': channel },
  });
  const ctx = trace.setSpan(context.active(), span);
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  try {
    return await context.with(ctx, () => send(carrier));
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Takes the trace fields out of a received payload (they are not the event's data). */
export function takeCarrier(payload: Record<string, unknown>): { payload: Record<string, unknown>; carrier: TraceCarrier } {
  if (typeof payload.traceparent !== 'string') return { payload, carrier: {} };
  const { traceparent, tracestate, ...rest } = payload;
  const carrier: TraceCarrier = { traceparent };
  if (typeof tracestate === 'string') carrier.tracestate = tracestate;
  return { payload: rest, carrier };
}

/** The trace fields of a stream entry's flat field list. */
export function carrierOfFields(fields: readonly string[]): TraceCarrier {
  const carrier: TraceCarrier = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const k = fields[i];
    if (k === 'traceparent' || k === 'tracestate') carrier[k] = fields[i + 1];
  }
  return carrier;
}

/** Runs the handling of a received event in a consumer span continuing the publisher's trace. */
export function traceConsume<R>(destination: string, carrier: TraceCarrier, attributes: Record<string, string | number>, handle: () => R): R {
  const parent: Context = propagation.extract(ROOT_CONTEXT, carrier);
  const span = tracer().startSpan(`process ${destination}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'redis', 'messaging.operation.type': 'process', 'messaging.destination.name': destination, ...attributes } }, parent);
  let result: R;
  try {
    result = context.with(trace.setSpan(parent, span), handle);
  } catch (error) {
    fail(span, error);
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (v: unknown) => {
        span.end();
        return v;
      },
      (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      },
    ) as R;
  }
  span.end();
  return result;
}
