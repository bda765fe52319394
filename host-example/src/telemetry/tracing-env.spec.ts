import { serviceNameFromEnv, traceExporterFromEnv } from './tracing-env';

describe('tracing from the standard OpenTelemetry environment variables', () => {
  it('turns OTLP on for an endpoint, follows OTEL_TRACES_EXPORTER, and stays off by default or when disabled', () => {
    expect(traceExporterFromEnv({})).toBe('none');
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe('otlp');
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe('otlp');
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe('none');
    expect(traceExporterFromEnv({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' })).toBe('none');
  });

  it('names the service plugboard-host unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(serviceNameFromEnv({})).toBe('plugboard-host');
    expect(serviceNameFromEnv({ OTEL_SERVICE_NAME: 'plugboard-worker' })).toBe('plugboard-worker');
  });
});
