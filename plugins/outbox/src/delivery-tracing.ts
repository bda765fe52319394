import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { OutboxMessage } from './types';

const tracer = () => trace.getTracer('@plugboard/outbox');

/**
 * The message's meta with the W3C trace context of the enqueuing call added (`traceparent`,
 * `tracestate`), so its delivery, later and maybe in another process, continues that trace.
 * Unchanged when no propagator is registered or nothing is traced.
 */
export function withTraceContext(meta: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (carrier.traceparent === undefined || meta.traceparent !== undefined) return meta;
  return { ...meta, ...carrier };
}

/**
 * Runs one delivery attempt in a span continuing the trace stored with the message (channel,
 * message id, attempt, outcome); the deliverer's own spans (an HTTP POST, an SMTP send) nest in it.
 */
export function traceAttempt(message: OutboxMessage, attempt: () => Promise<unknown>): Promise<unknown> {
  const parent = message.meta.traceparent === undefined ? context.active() : propagation.extract(ROOT_CONTEXT, message.meta);
  const span = tracer().startSpan(
    `deliver ${message.channel}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'plugboard.outbox',
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.channel,
        'messaging.message.id': message.id,
        'plugboard.outbox.attempt': message.attempts,
      },
    },
    parent,
  );
  const run = context.with(trace.setSpan(parent, span), () => {
    try {
      return attempt();
    } catch (error) {
      return Promise.reject(error);
    }
  });
  run.then(
    () => {
      span.setAttribute('plugboard.outbox.outcome', 'delivered');
      span.end();
    },
    (error: unknown) => {
      span.setAttribute('plugboard.outbox.outcome', 'failed');
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  );
  return run;
}
