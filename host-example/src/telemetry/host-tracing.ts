import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { refreshTracing } from '@plugboard/core';
import * as otel from '@opentelemetry/api';
import { serviceNameFromEnv, traceExporterFromEnv } from './tracing-env';

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /** Export here, span by span (tests use an InMemorySpanExporter); otherwise chosen by the OTel environment variables, in batches. */
  readonly exporter?: SpanExporter;
  /** With `exporter`: export in batches, as with the environment's exporters (benchmarks), instead of span by span. */
  readonly batch?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** The running SDK; `shutdown` flushes pending spans and unregisters it. */
export interface Tracing {
  readonly provider: NodeTracerProvider;
  shutdown(): Promise<void>;
}

let running: { tracing: Tracing; users: number } | undefined;

function processorFor(options: TracingOptions, env: NodeJS.ProcessEnv): SpanProcessor | undefined {
  if (options.exporter) return options.batch ? new BatchSpanProcessor(options.exporter) : new SimpleSpanProcessor(options.exporter);
  const kind = traceExporterFromEnv(env);
  if (kind === 'none') return undefined;
  // OTLPTraceExporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
  return new BatchSpanProcessor(kind === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter());
}

function register(provider: NodeTracerProvider): Tracing {
  otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  otel.trace.setGlobalTracerProvider(provider);
  refreshTracing();
  return {
    provider,
    async shutdown() {
      await provider.shutdown();
      otel.trace.disable();
      otel.propagation.disable();
      otel.context.disable();
      refreshTracing();
    },
  };
}

/**
 * Starts the OpenTelemetry SDK for this process (a NodeTracerProvider, the W3C trace-context
 * propagator, async-local context) when an exporter is given or the standard OTel environment
 * variables ask for one; otherwise returns undefined and tracing costs nothing. The SDK is per
 * process: hosts sharing a process share it, and the last one to shut down stops it.
 *
 * @example
 * ```ts
 * const tracing = startTracing(); // OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
 * // … later
 * await tracing?.shutdown();
 * ```
 */
export function startTracing(options: TracingOptions = {}): Tracing | undefined {
  if (running) {
    running.users++;
    return share(running);
  }
  const env = options.env ?? process.env;
  const processor = processorFor(options, env);
  if (!processor) return undefined;
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceNameFromEnv(env) }), spanProcessors: [processor] });
  running = { tracing: register(provider), users: 1 };
  return share(running);
}

function share(entry: { tracing: Tracing; users: number }): Tracing {
  let done = false;
  return {
    provider: entry.tracing.provider,
    async shutdown() {
      if (done) return;
      done = true;
      if (--entry.users > 0) return;
      if (running === entry) running = undefined;
      await entry.tracing.shutdown();
    },
  };
}
