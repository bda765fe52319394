/** Hook calls traced through @opentelemetry/api when an SDK is registered. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { defineHooks } from '../catalogue';
import { HookBus } from '../hook-bus';
import { collect, collectAsync, notify } from '../hook-spec';
import { refreshTracing } from './tracing-switch';

/** What the SDK's AsyncLocalStorageContextManager does, kept here as core depends on the api only. */
class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.als.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

const hooks = defineHooks({
  Tick: notify<[n: number]>(),
  Names: collect<[prefix: string], string>(),
  Lookup: collectAsync<[key: string], string>({ timeoutMs: 1000 }),
});

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  context.setGlobalContextManager(new AlsContextManager());
  trace.setGlobalTracerProvider(provider);
  refreshTracing();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  refreshTracing();
});
beforeEach(() => exporter.reset());

const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;

describe('tracing hook calls', () => {
  it('gives a sync hook call a span with its hook, kind, policy and listener count, and one child per listener', () => {
    const bus = new HookBus(hooks, { onError: () => undefined, hooks: { Names: { policy: 'isolate' } } });
    bus.on('Names', (p) => `${p}a`, { extension: 'alpha' });
    bus.on('Names', () => {
      throw new Error('broken');
    }, { extension: 'beta' });
    // Hot calls too: a traced hook never jumps to its compiled fast path.
    for (let i = 0; i < 20; i++) expect(bus.call('Names', 'x')).toEqual(['xa']);
    const spans = exporter.getFinishedSpans();
    const calls = byName(spans, 'hook Names');
    expect(calls).toHaveLength(20);
    expect(calls[0].attributes).toEqual({ 'plugboard.hook': 'Names', 'plugboard.hook.kind': 'collect', 'plugboard.hook.async': false, 'plugboard.hook.policy': 'isolate', 'plugboard.hook.listeners': 2 });
    const call = calls[19];
    const children = spans.filter((s) => parentOf(s) === call.spanContext().spanId);
    expect(children.map((s) => [s.name, s.attributes['plugboard.extension'], s.attributes['plugboard.listener.outcome']])).toEqual([
      ['listener alpha', 'alpha', 'ok'],
      ['listener beta', 'beta', 'error'],
    ]);
    expect(children[1].status.code).toBe(2);
    expect(children[1].events.map((e) => e.name)).toEqual(['exception']);
    expect(children.every((c) => c.spanContext().traceId === call.spanContext().traceId)).toBe(true);
  });

  it('marks the hook span failed when the call throws under propagate', () => {
    const bus = new HookBus(hooks, { onError: () => undefined, hooks: { Tick: { policy: 'propagate' } } });
    bus.on('Tick', () => {
      throw new Error('no');
    }, { extension: 'thrower' });
    expect(() => bus.call('Tick', 1)).toThrow();
    const [call] = byName(exporter.getFinishedSpans(), 'hook Tick');
    expect(call.status.code).toBe(2);
    expect(call.attributes['plugboard.hook.policy']).toBe('propagate');
  });

  it('ends an async listener span with its outcome and time limit, a timed-out one as timeout', async () => {
    const bus = new HookBus(hooks, { onError: () => undefined, hooks: { Lookup: { policy: 'isolate' } } });
    bus.on('Lookup', async (k) => `${k}!`, { extension: 'quick' });
    bus.on('Lookup', (_k, ctx) => new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve('late'))), { extension: 'slow', timeoutMs: 20 });
    const { result, report } = await bus.invoke('Lookup', ['k']);
    expect(result).toEqual(['k!']);
    expect(report.listeners.map((l) => l.status)).toEqual(['ok', 'timeout']);
    const spans = exporter.getFinishedSpans();
    const [call] = byName(spans, 'hook Lookup');
    const children = spans.filter((s) => parentOf(s) === call.spanContext().spanId);
    expect(children.map((s) => [s.name, s.attributes['plugboard.listener.outcome'], s.attributes['plugboard.listener.timeout_ms']])).toEqual([
      ['listener quick', 'ok', 1000],
      ['listener slow', 'timeout', 20],
    ]);
  });

  it('makes spans started by a listener children of that listener', () => {
    const bus = new HookBus(hooks, { onError: () => undefined });
    bus.on('Tick', () => trace.getTracer('test').startSpan('inner').end(), { extension: 'nested' });
    bus.call('Tick', 1);
    const spans = exporter.getFinishedSpans();
    const [listener] = byName(spans, 'listener nested');
    expect(parentOf(byName(spans, 'inner')[0])).toBe(listener.spanContext().spanId);
  });
});
