/** Which exporter the standard OpenTelemetry environment variables ask for, if any. */
export type TraceExporterKind = 'otlp' | 'console' | 'none';

/**
 * Reads the standard variables: `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn
 * tracing off; `OTEL_TRACES_EXPORTER=otlp|console` chooses; otherwise an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns OTLP on.
 *
 * @example
 * ```ts
 * traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }); // 'otlp'
 * traceExporterFromEnv({});                                                       // 'none'
 * ```
 */
export function traceExporterFromEnv(env: NodeJS.ProcessEnv): TraceExporterKind {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return 'none';
  const chosen = env.OTEL_TRACES_EXPORTER?.split(',')[0]?.trim().toLowerCase();
  if (chosen === 'otlp' || chosen === 'console' || chosen === 'none') return chosen;
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none';
}

/** The service name spans are reported under: `OTEL_SERVICE_NAME`, else `plugboard-host`. */
export function serviceNameFromEnv(env: NodeJS.ProcessEnv): string {
  return env.OTEL_SERVICE_NAME?.trim() || 'plugboard-host';
}
