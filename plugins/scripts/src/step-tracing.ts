import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HandlerStep } from './handler-steps';
import type { StepResult } from './run-result';

const tracer = () => trace.getTracer('@plugboard/scripts');

/**
 * Runs one step script in a span (event, step, exit code, status). The step's environment gets
 * `TRACEPARENT`/`TRACESTATE` (the OTel convention for environment carriers) when a propagator
 * is registered, so a traced script continues the trace.
 */
export async function traceStep<O extends { readonly result: StepResult }>(event: string, step: HandlerStep, env: NodeJS.ProcessEnv, run: (env: NodeJS.ProcessEnv) => Promise<O>): Promise<O> {
  const span = tracer().startSpan(`step ${step.name}`, { attributes: { 'plugboard.event': event, 'plugboard.step': step.name, 'process.executable.path': step.path } });
  const ctx = trace.setSpan(context.active(), span);
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const withTrace = carrier.traceparent === undefined ? env : { ...env, TRACEPARENT: carrier.traceparent, ...(carrier.tracestate ? { TRACESTATE: carrier.tracestate } : {}) };
  try {
    const outcome = await context.with(ctx, () => run(withTrace));
    const { status, exitCode } = outcome.result;
    span.setAttribute('plugboard.step.status', status);
    if (exitCode !== null) span.setAttribute('process.exit.code', exitCode);
    if (status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: `step ${step.name} ${status}${exitCode === null ? '' : ` (exit ${exitCode})`}` });
    return outcome;
  } finally {
    span.end();
  }
}

/** Keeps the caller's trace context for work a queue starts later (from another job's completion). */
export function inCallerContext<R>(fn: () => R): () => R {
  return context.bind(context.active(), fn);
}
