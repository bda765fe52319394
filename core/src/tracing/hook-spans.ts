import { context, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { AnyHookSpec, ErrorPolicy } from '../hook-spec';
import type { ListenerEntry } from '../listener-entry';
import { isThenable } from '../runtime/dispatch-target';

let cached: Tracer | undefined;
function tracer(): Tracer {
  return (cached ??= trace.getTracer('@plugboard/core'));
}

/** Ends `span` as failed: the exception recorded and an error status. */
export function endFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/** Runs `run` in the span's context and ends the span when it settles (now, or when its promise does). */
export function inSpan<R>(span: Span, run: () => R): R {
  let result: R;
  try {
    result = context.with(trace.setSpan(context.active(), span), run);
  } catch (error) {
    endFailed(span, error);
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      endFailed(span, error);
      throw error;
    },
  ) as R;
}

/** The span of one hook call (its listeners' spans are its children). */
export function hookSpan(name: string, spec: AnyHookSpec, policy: ErrorPolicy, listeners: number): Span {
  return tracer().startSpan(`hook ${name}`, {
    attributes: {
      'plugboard.hook': name,
      'plugboard.hook.kind': spec.kind,
      'plugboard.hook.async': spec.async,
      'plugboard.hook.policy': policy,
      'plugboard.hook.listeners': listeners,
    },
  });
}

/** The span of one listener of a hook call, started in the call's context. */
export function listenerSpan(hook: string, e: ListenerEntry, timeoutMs: number | undefined, parent: Context = context.active()): Span {
  const span = tracer().startSpan(`listener ${e.extension}`, { attributes: { 'plugboard.hook': hook, 'plugboard.extension': e.extension } }, parent);
  if (timeoutMs !== undefined) span.setAttribute('plugboard.listener.timeout_ms', timeoutMs);
  return span;
}

/** Ends a listener's span with how it settled: ok, error or timeout. */
export function endListener(span: Span, outcome: 'ok' | 'error' | 'timeout', error?: unknown): void {
  span.setAttribute('plugboard.listener.outcome', outcome);
  if (outcome === 'ok') span.end();
  else endFailed(span, error);
}
