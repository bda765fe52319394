import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../src/telemetry/host-tracing';

/** The OTel SDK of this test process, exporting to memory, with helpers to read the span tree. */
export interface TestTracing {
  spans(): ReadableSpan[];
  /** The spans named `name`. */
  named(name: string): ReadableSpan[];
  /** The span whose id is `s`'s parent, if it was exported. */
  parent(s: ReadableSpan): ReadableSpan | undefined;
  /** Names from `s` up to its root, `s` first. */
  ancestry(s: ReadableSpan): string[];
  stop(): Promise<void>;
}

export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ exporter, env: {} });
  if (!tracing) throw new Error('tracing did not start');
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const parent = (s: ReadableSpan): ReadableSpan | undefined => {
    const id = s.parentSpanContext?.spanId;
    return id === undefined ? undefined : spans().find((p) => p.spanContext().spanId === id);
  };
  return {
    spans,
    named: (name) => spans().filter((s) => s.name === name),
    parent,
    ancestry(s) {
      const names: string[] = [];
      for (let at: ReadableSpan | undefined = s; at; at = parent(at)) names.push(at.name);
      return names;
    },
    stop: () => tracing.shutdown(),
  };
}
