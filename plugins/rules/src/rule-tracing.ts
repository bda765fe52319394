import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Rule } from './rule';

const tracer = () => trace.getTracer('@plugboard/rules');

/** How one rule's run ended, as the rule span records it. */
export interface RuleEvaluation<O> {
  readonly status: 'ran' | 'skipped' | 'failed';
  readonly outcome?: O;
  readonly failure?: unknown;
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Evaluates one rule (conditions, then action) in a span: rule, handler module, action, event, status. */
export async function traceRule<O>(rule: Rule, event: string, evaluate: () => Promise<RuleEvaluation<O>>): Promise<RuleEvaluation<O>> {
  const span = tracer().startSpan(`rule ${rule.name}`, {
    attributes: { 'plugboard.rule.id': rule.id, 'plugboard.rule.name': rule.name, 'plugboard.rule.handler_module': rule.handlerModule, 'plugboard.rule.action': rule.action, 'plugboard.event': event },
  });
  const result = await context.with(trace.setSpan(context.active(), span), evaluate);
  span.setAttribute('plugboard.rule.status', result.status);
  if (result.status === 'failed') failed(span, result.failure);
  span.end();
  return result;
}

/** Runs a rule's action in its own span (a child of the rule's), so what the action queues nests in it. */
export async function traceAction<O>(rule: Rule, run: () => O | Promise<O>): Promise<O> {
  const span = tracer().startSpan(`action ${rule.handlerModule}.${rule.action}`, { attributes: { 'plugboard.rule.handler_module': rule.handlerModule, 'plugboard.rule.action': rule.action } });
  try {
    return await context.with(trace.setSpan(context.active(), span), run);
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}
