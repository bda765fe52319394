/** HookBus across changes: forgotten extensions, hot hooks that change, names known at run time. */
import { z } from 'zod';
import { defineHooks } from './catalogue';
import { HookBus } from './hook-bus';
import { collect, notify } from './hook-spec';

const hooks = defineHooks({
  Tick: notify<[n: number]>(),
  Names: collect<[prefix: string], string>(),
  Checked: collect<[n: number], number>({ args: z.tuple([z.number().int()]) }),
});

const newBus = () => ({ bus: new HookBus(hooks, { onError: () => undefined }) });

/** Calls enough times to cross the compile threshold, returning the last result. */
function callHot<R>(fn: () => R, times = 20): R {
  let r = fn();
  for (let i = 1; i < times; i++) r = fn();
  return r;
}

describe('HookBus: removed extensions', () => {
  it('forgets a removed extension: others cannot order against it, and it comes back enabled with new listeners', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'gone', { extension: 'gone' });
    bus.disableExtension('gone');
    bus.removeExtension('gone');
    expect(bus.extensions().map((e) => e.name)).toEqual([]);
    expect(() => bus.on('Names', () => 'x', { extension: 'x', after: ['gone'] })).toThrow(expect.objectContaining({ code: 'PB_ORDER_UNKNOWN' }));
    bus.on('Names', () => 'back', { extension: 'gone' });
    expect(bus.isExtensionEnabled('gone')).toBe(true);
    expect(bus.extensions()).toEqual([{ name: 'gone', enabled: true }]);
    expect(callHot(() => bus.call('Names', ''))).toEqual(['back']);
    // Churn on a hot hook: remove and register again, the compiled dispatcher follows.
    for (let i = 0; i < 5; i++) {
      bus.removeExtension('gone');
      bus.on('Names', () => `back${i}`, { extension: 'gone' });
      // A hot hook stays compiled across the change, so this call is not a slow first call.
      expect(bus.explain('Names').compiled).toBe(true);
      expect(bus.call('Names', '')).toEqual([`back${i}`]);
    }
    bus.on('Names', () => 'second', { extension: 'other' });
    expect(bus.explain('Names').compiled).toBe(true);
    expect(bus.call('Names', '')).toEqual(['back4', 'second']);
  });

});

describe('HookBus: hot hooks across changes', () => {
  it('a hook without declared parameters called with more arguments later keeps every argument after changes', () => {
    const { bus } = newBus();
    const seen: unknown[][] = [];
    const untyped = bus as unknown as { call(name: string, ...args: unknown[]): unknown; on(name: string, fn: (...a: unknown[]) => unknown, o: object): () => void };
    const offA = untyped.on('Tick', (...a: unknown[]) => void seen.push(a), { extension: 'a' });
    callHot(() => untyped.call('Tick', 1));
    callHot(() => untyped.call('Tick', 1, 2));
    offA();
    untyped.on('Tick', (...a: unknown[]) => void seen.push(a), { extension: 'a' });
    seen.length = 0;
    untyped.call('Tick', 1, 2);
    expect(seen).toEqual([[1, 2]]);
  });
});

describe('HookBus: invokeByName (names known only at run time)', () => {
  it('invokes like invoke, refuses an unknown name and arguments its schema refuses with coded errors, always asynchronously', async () => {
    const { bus } = newBus();
    bus.on('Names', (prefix) => `${prefix}x`, { extension: 'a' });
    const name: string = 'Names';
    const outcome = await bus.invokeByName(name, ['p-']);
    expect(outcome.result).toEqual(['p-x']);
    expect(outcome.report.listeners.map((l) => [l.extension, l.status, l.value])).toEqual([['a', 'ok', 'p-x']]);
    await expect(bus.invokeByName('Nope', [])).rejects.toMatchObject({ code: 'PB_UNKNOWN_HOOK' });
    await expect(bus.invokeByName('Checked', ['not a number'])).rejects.toMatchObject({ code: 'PB_INVALID_ARGUMENTS' });
  });
});

