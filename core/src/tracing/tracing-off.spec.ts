/** Without an OpenTelemetry SDK, dispatch never touches the tracing api. */
import { context, trace } from '@opentelemetry/api';
import { defineHooks } from '../catalogue';
import { HookBus } from '../hook-bus';
import { collect, collectAsync, notify } from '../hook-spec';
import { refreshTracing, tracingOn } from './tracing-switch';

const hooks = defineHooks({
  Tick: notify<[n: number]>(),
  Names: collect<[prefix: string], string>(),
  Lookup: collectAsync<[key: string], string>(),
});

describe('tracing when no provider is registered', () => {
  it('creates no tracer, span or context on any dispatch path, and hot sync hooks keep their compiled fast path', async () => {
    const getTracer = jest.spyOn(trace, 'getTracer');
    const withContext = jest.spyOn(context, 'with');
    const bus = new HookBus(hooks, { onError: () => undefined });
    bus.on('Tick', () => undefined, { extension: 'a' });
    bus.on('Names', (p) => p, { extension: 'a' });
    bus.on('Lookup', async (k) => k, { extension: 'a' });
    for (let i = 0; i < 20; i++) {
      bus.call('Tick', i);
      bus.call('Names', 'x');
    }
    await bus.call('Lookup', 'k');
    await bus.invoke('Lookup', ['k'], { timeoutMs: 50 });
    bus.invoke('Names', ['x']);
    expect(refreshTracing()).toBe(false);
    expect(tracingOn()).toBe(false);
    expect(bus.explain('Tick').compiled).toBe(true);
    expect(getTracer).not.toHaveBeenCalled();
    expect(withContext).not.toHaveBeenCalled();
  });
});
