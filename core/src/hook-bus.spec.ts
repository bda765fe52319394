import { z } from 'zod';
import { defineHooks } from './catalogue';
import { ListenerError, ListenersFailedError, MergeConflictError, OrderingError, UnknownHookError, InvalidArgumentsError } from './errors';
import { HookBus } from './hook-bus';
import { collect, collectAsync, merge, mergeAsync, notify, notifyAsync } from './hook-spec';

const hooks = defineHooks({
  Tick: notify<[n: number]>(),
  Names: collect<[prefix: string], string>(),
  Pairs: collect<[], [string, string]>(),
  Params: merge<[app: string], Record<string, string>>(),
  Created: notifyAsync<[id: number]>(),
  Menu: collectAsync<[target: string], { name: string }>(),
  Fields: mergeAsync<[app: string], Record<string, number>>(),
  Checked: collect<[n: number], number>({ args: z.tuple([z.number().int()]), result: z.number().positive() }),
  Gathered: collect<[], number>({ policy: 'aggregate' }),
  Slow: collectAsync<[], string>({ timeoutMs: 50 }),
  Serial: collectAsync<[], string>({ series: true }),
});

function makeBus(errors: Error[]) {
  return { bus: new HookBus(hooks, { onError: (e) => errors.push(e) }), errors };
}
const newBus = () => makeBus([]);

/** Calls enough times to cross the compile threshold, returning the last result. */
function callHot<R>(fn: () => R, times = 20): R {
  let r = fn();
  for (let i = 1; i < times; i++) r = fn();
  return r;
}

describe('HookBus: results', () => {
  it('returns [] for a collect hook with zero listeners, sync and async', async () => {
    const { bus } = newBus();
    expect(bus.call('Names', 'x')).toEqual([]);
    expect(await bus.call('Menu', 'top')).toEqual([]);
    expect(bus.call('Params', 'a')).toEqual({});
  });

  it('concatenates values and lists into one flat list in dispatch order, skipping undefined', () => {
    const { bus } = newBus();
    bus.on('Names', (p) => `${p}1`, { extension: 'a' });
    bus.on('Names', () => undefined, { extension: 'b' });
    bus.on('Names', (p) => [`${p}2`, `${p}3`], { extension: 'c' });
    bus.on('Names', () => [], { extension: 'd' });
    const expected = ['x1', 'x2', 'x3'];
    expect(bus.call('Names', 'x')).toEqual(expected);
    // Same answer once the dispatcher is compiled.
    expect(callHot(() => bus.call('Names', 'x'))).toEqual(expected);
    expect(bus.explain('Names').compiled).toBe(true);
  });

  it('keeps tuple results whole when listeners return lists of tuples', () => {
    const { bus } = newBus();
    bus.on('Pairs', () => [['a', 'A']], { extension: 'one' });
    bus.on('Pairs', () => [['b', 'B'], ['c', 'C']], { extension: 'two' });
    expect(callHot(() => bus.call('Pairs'))).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C']]);
  });

  it('runs every notify listener with the call arguments', () => {
    const { bus } = newBus();
    const seen: string[] = [];
    bus.on('Tick', (n) => seen.push(`a${n}`), { extension: 'a' });
    bus.on('Tick', (n) => seen.push(`b${n}`), { extension: 'b' });
    expect(bus.call('Tick', 1)).toBeUndefined();
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('merges objects and reports a key returned twice as a conflict, keeping the first value', () => {
    const { bus, errors } = newBus();
    bus.on('Params', () => ({ a: '1', b: '1' }), { extension: 'first' });
    bus.on('Params', () => ({ b: '2', c: '2' }), { extension: 'second' });
    expect(() => bus.call('Params', 'x')).toThrow(MergeConflictError);
    const { result, report } = bus.invoke('Params', ['x'], { policy: 'isolate' });
    expect(result).toEqual({ a: '1', b: '1', c: '2' });
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0].extensions).toEqual(['first', 'second']);
    expect(report.conflicts[0].key).toBe('b');
    expect(errors.some((e) => e instanceof MergeConflictError)).toBe(true);
  });

  it('resolves async collect results in dispatch order whatever finishes first', async () => {
    const { bus } = newBus();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bus.on('Menu', async () => {
      await gate;
      return { name: 'slow-first' };
    }, { extension: 'slow' });
    bus.on('Menu', () => [{ name: 'fast' }], { extension: 'fast' });
    const pending = bus.call('Menu', 'top');
    release();
    expect(await pending).toEqual([{ name: 'slow-first' }, { name: 'fast' }]);
  });

  it('merges async objects', async () => {
    const { bus } = newBus();
    bus.on('Fields', async () => ({ a: 1 }), { extension: 'x' });
    bus.on('Fields', () => ({ b: 2 }), { extension: 'y' });
    expect(await bus.call('Fields', 'app')).toEqual({ a: 1, b: 2 });
  });

  it('runs series hooks one after another', async () => {
    const { bus } = newBus();
    const log: string[] = [];
    bus.on('Serial', async () => {
      log.push('a:start');
      await Promise.resolve();
      log.push('a:end');
      return 'a';
    }, { extension: 'a' });
    bus.on('Serial', () => {
      log.push('b');
      return 'b';
    }, { extension: 'b' });
    expect(await bus.call('Serial')).toEqual(['a', 'b']);
    expect(log).toEqual(['a:start', 'a:end', 'b']);
  });

  it('rejects an unknown hook name at run time with a coded error', () => {
    const { bus } = newBus();
    const untyped = bus as unknown as { call(n: string): unknown };
    expect(() => untyped.call('Nope')).toThrow(UnknownHookError);
  });
});

describe('HookBus: ordering', () => {
  it('orders by priority (higher first), then registration order', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'low', { extension: 'low', priority: -1 });
    bus.on('Names', () => 'a', { extension: 'a' });
    bus.on('Names', () => 'high', { extension: 'high', priority: 10 });
    bus.on('Names', () => 'b', { extension: 'b' });
    expect(bus.call('Names', '')).toEqual(['high', 'a', 'b', 'low']);
  });

  it('honours before and after extension names', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'a', { extension: 'a' });
    bus.on('Names', () => 'b', { extension: 'b' });
    bus.on('Names', () => 'c', { extension: 'c', before: ['a'] });
    bus.on('Names', () => 'd', { extension: 'd', priority: 100, after: ['b'] });
    // Base order is d, a, b, c (priority, then registration); the earliest ready listener
    // is always taken next: d waits for b, a waits for c.
    expect(bus.call('Names', '')).toEqual(['b', 'd', 'c', 'a']);
    const plan = bus.explain('Names');
    expect(plan.listeners.map((l) => l.extension)).toEqual(['b', 'd', 'c', 'a']);
    expect(plan.listeners[1].reason).toContain('after b');
    expect(plan.listeners[2].reason).toContain('before a');
  });

  it('refuses an unknown extension name in before/after at registration', () => {
    const { bus } = newBus();
    expect(() => bus.on('Names', () => 'x', { extension: 'x', after: ['ghost'] })).toThrow(
      expect.objectContaining({ code: 'PB_ORDER_UNKNOWN', extension: 'x', hook: 'Names' }),
    );
    expect(bus.call('Names', '')).toEqual([]);
  });

  it('refuses a cycle at registration, naming the extensions, and keeps the hook as it was', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'a', { extension: 'a' });
    bus.on('Names', () => 'b', { extension: 'b', after: ['a'] });
    let error: unknown;
    try {
      bus.on('Names', () => 'a2', { extension: 'a', after: ['b'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OrderingError);
    expect((error as OrderingError).code).toBe('PB_ORDER_CYCLE');
    expect((error as Error).message).toMatch(/a → b → a|b → a → b/);
    expect(bus.call('Names', '')).toEqual(['a', 'b']);
  });
});

describe('HookBus: removal and enable/disable', () => {
  it('returns an undo per registration that removes only that listener, idempotently', () => {
    const { bus } = newBus();
    const offA = bus.on('Names', () => 'a', { extension: 'x' });
    bus.on('Names', () => 'b', { extension: 'x' });
    callHot(() => bus.call('Names', ''));
    offA();
    offA();
    expect(bus.call('Names', '')).toEqual(['b']);
  });

  it('removes every listener of an extension from every hook in one step', async () => {
    const { bus } = newBus();
    bus.on('Names', () => 'gone', { extension: 'gone' });
    bus.on('Menu', () => ({ name: 'gone' }), { extension: 'gone' });
    bus.on('Names', () => 'kept', { extension: 'kept' });
    expect(bus.removeExtension('gone')).toBe(2);
    expect(bus.call('Names', '')).toEqual(['kept']);
    expect(await bus.call('Menu', 't')).toEqual([]);
  });

  it('skips a disabled extension and restores it in its original place when re-enabled', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'a', { extension: 'a' });
    bus.on('Names', () => 'b', { extension: 'b' });
    bus.on('Names', () => 'c', { extension: 'c' });
    callHot(() => bus.call('Names', ''));
    bus.disableExtension('b');
    expect(bus.call('Names', '')).toEqual(['a', 'c']);
    expect(callHot(() => bus.call('Names', ''))).toEqual(['a', 'c']);
    const { report } = bus.invoke('Names', ['']);
    expect(report.listeners.map((l) => [l.extension, l.status])).toEqual([
      ['a', 'ok'],
      ['b', 'skipped'],
      ['c', 'ok'],
    ]);
    bus.enableExtension('b');
    expect(bus.call('Names', '')).toEqual(['a', 'b', 'c']);
  });

  it('off() removes a callback registered on a hook', () => {
    const { bus } = newBus();
    const fn = (p: string): string => p;
    bus.on('Names', fn, { extension: 'x' });
    expect(bus.isRegistered('Names', fn)).toBe(true);
    expect(bus.off('Names', fn)).toBe(1);
    expect(bus.isRegistered('Names', fn)).toBe(false);
  });
});

describe('HookBus: error policies', () => {
  it('notify isolates by default: a failing listener is reported and the others run', () => {
    const { bus, errors } = newBus();
    const seen: string[] = [];
    bus.on('Tick', () => {
      throw new Error('boom');
    }, { extension: 'bad' });
    bus.on('Tick', () => seen.push('good'), { extension: 'good' });
    callHot(() => bus.call('Tick', 1), 10);
    expect(seen).toHaveLength(10);
    expect(errors).toHaveLength(10);
    expect(errors[0]).toBeInstanceOf(ListenerError);
    expect(errors[0]).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'bad', hook: 'Tick' });
    expect((errors[0] as Error).cause).toEqual(new Error('boom'));
  });

  it('collect propagates the first error by default, naming the extension (Modoboa behaviour)', () => {
    const { bus } = newBus();
    bus.on('Names', () => 'ok', { extension: 'good' });
    bus.on('Names', () => {
      throw new Error('nope');
    }, { extension: 'bad' });
    for (let i = 0; i < 12; i++) {
      expect(() => bus.call('Names', '')).toThrow(expect.objectContaining({ code: 'PB_LISTENER_FAILED', extension: 'bad' }));
    }
  });

  it('a call may ask to isolate: failures land in the report and the others still give results', () => {
    const { bus } = newBus();
    bus.on('Names', () => {
      throw new Error('nope');
    }, { extension: 'bad' });
    bus.on('Names', () => 'ok', { extension: 'good' });
    const { result, report } = bus.invoke('Names', [''], { policy: 'isolate' });
    expect(result).toEqual(['ok']);
    expect(report.listeners.map((l) => l.status)).toEqual(['error', 'ok']);
    expect(report.listeners[0].error?.extension).toBe('bad');
  });

  it('aggregate runs everything and throws one AggregateError with every failure', () => {
    const { bus } = newBus();
    bus.on('Gathered', () => {
      throw new Error('one');
    }, { extension: 'x' });
    bus.on('Gathered', () => 1, { extension: 'y' });
    bus.on('Gathered', () => {
      throw new Error('two');
    }, { extension: 'z' });
    let error: unknown;
    try {
      bus.call('Gathered');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ListenersFailedError);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as ListenersFailedError).errors.map((e: ListenerError) => e.extension)).toEqual(['x', 'z']);
  });

  it('async notify isolates a rejecting listener; async collect rejects with the extension named', async () => {
    const { bus, errors } = newBus();
    const seen: number[] = [];
    bus.on('Created', async () => {
      throw new Error('async boom');
    }, { extension: 'bad' });
    bus.on('Created', (id) => {
      seen.push(id);
    }, { extension: 'good' });
    await bus.call('Created', 7);
    expect(seen).toEqual([7]);
    expect(errors[0]).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'bad', hook: 'Created' });

    bus.on('Menu', async () => {
      throw new Error('menu boom');
    }, { extension: 'menu-bad' });
    await expect(bus.call('Menu', 't')).rejects.toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'menu-bad' });
  });

  it('a sync listener returning a promise is reported, never left as an unhandled rejection', () => {
    const { bus, errors } = newBus();
    const sneaky = (() => Promise.reject(new Error('late'))) as unknown as (n: number) => void;
    bus.on('Tick', sneaky, { extension: 'sneaky' });
    callHot(() => bus.call('Tick', 1), 10);
    expect(errors).toHaveLength(10);
    expect(errors[0].message).toMatch(/returned a promise to a synchronous hook/);
  });
});

describe('HookBus: schemas', () => {
  it('rejects call arguments that fail the hook schema', () => {
    const { bus } = newBus();
    expect(() => bus.call('Checked', 1.5)).toThrow(InvalidArgumentsError);
  });

  it('reports a result that fails its schema against the extension that returned it', () => {
    const { bus } = newBus();
    bus.on('Checked', (n) => n, { extension: 'good' });
    bus.on('Checked', () => -1, { extension: 'liar' });
    expect(() => bus.call('Checked', 2)).toThrow(expect.objectContaining({ code: 'PB_INVALID_RESULT', extension: 'liar', hook: 'Checked' }));
    const { result, report } = bus.invoke('Checked', [2], { policy: 'isolate' });
    expect(result).toEqual([2]);
    expect(report.listeners[1]).toMatchObject({ extension: 'liar', status: 'error' });
  });
});

describe('HookBus: timeouts and abort', () => {
  it('times out a slow listener, aborts its signal, and reports it as timeout', async () => {
    const { bus } = newBus();
    let aborted: unknown;
    bus.on('Slow', (ctx) =>
      new Promise<string>((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = ctx.signal.reason;
          resolve('late');
        });
      }), { extension: 'sloth' });
    bus.on('Slow', () => 'quick', { extension: 'hare' });
    const { result, report } = await bus.invoke('Slow', [], { policy: 'isolate' });
    expect(result).toEqual(['quick']);
    expect(report.listeners[0]).toMatchObject({ extension: 'sloth', status: 'timeout' });
    expect(aborted).toMatchObject({ code: 'PB_LISTENER_TIMEOUT' });
  });

  it('a per-listener timeout applies on hooks without one, and the call signal aborts listeners', async () => {
    const { bus } = newBus();
    bus.on('Menu', (_t, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))), {
      extension: 'waits',
      timeoutMs: 30,
    });
    await expect(bus.call('Menu', 't')).rejects.toMatchObject({ code: 'PB_LISTENER_TIMEOUT', extension: 'waits' });

    const bus2 = makeBus([]).bus;
    bus2.on('Menu', (_t, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))), { extension: 'waits' });
    const controller = new AbortController();
    const pending = bus2.invoke('Menu', ['t'], { signal: controller.signal, policy: 'isolate' });
    controller.abort(new Error('caller gave up'));
    const { report } = await pending;
    expect(report.listeners[0].status).toBe('error');
  });
});

describe('HookBus: interceptors and explain', () => {
  it('passes every call to interceptors; a throwing before aborts an async call', async () => {
    const { bus } = newBus();
    const records: string[] = [];
    bus.on('Created', () => undefined, { extension: 'x' });
    const stop = bus.intercept({
      before: (hook, args) => {
        if (args[0] === 13) throw new Error('unlucky');
      },
      after: (r) => {
        records.push(`${r.hook}:${r.report.listeners.length}:${r.error ? 'error' : 'ok'}`);
      },
    });
    await bus.call('Created', 1);
    await expect(bus.call('Created', 13)).rejects.toThrow('unlucky');
    bus.call('Tick', 1);
    stop();
    await bus.call('Created', 2);
    expect(records).toEqual(['Created:1:ok', 'Created:0:error', 'Tick:0:ok']);
  });

  it('explain lists listeners in order with enabled state and the reason', () => {
    const { bus } = newBus();
    function first(): string {
      return '1';
    }
    bus.on('Names', first, { extension: 'a', priority: 2 });
    bus.on('Names', () => '2', { extension: 'b', timeoutMs: 5 });
    bus.disableExtension('b');
    const plan = bus.explain('Names');
    expect(plan).toMatchObject({ hook: 'Names', kind: 'collect', async: false, policy: 'propagate' });
    expect(plan.listeners).toEqual([
      expect.objectContaining({ position: 1, extension: 'a', listener: 'first', priority: 2, enabled: true, reason: 'priority 2; registered #0' }),
      expect.objectContaining({ position: 2, extension: 'b', enabled: false, timeoutMs: 5 }),
    ]);
    expect(plan.listeners[1].reason).toContain('skipped: extension disabled');
  });
});

describe('HookBus: hook handles', () => {
  it('a handle calls the hook directly and follows registrations, removals and enable/disable', async () => {
    const { bus } = newBus();
    const names = bus.hook('Names');
    expect(bus.hook('Names')).toBe(names);
    expect(names.call('x')).toEqual([]);
    const off = bus.on('Names', (p) => `${p}1`, { extension: 'a' });
    bus.on('Names', (p) => `${p}2`, { extension: 'b' });
    expect(callHot(() => names.call('x'))).toEqual(['x1', 'x2']);
    bus.disableExtension('a');
    expect(names.call('y')).toEqual(['y2']);
    bus.enableExtension('a');
    off();
    expect(callHot(() => names.call('z'))).toEqual(['z2']);
    const seen: string[] = [];
    const stop = bus.intercept({ after: (r) => void seen.push(r.hook) });
    names.call('w');
    stop();
    expect(seen).toEqual(['Names']);
    const menu = bus.hook('Menu');
    bus.on('Menu', async (t) => ({ name: t }), { extension: 'm' });
    expect(await menu.call('top')).toEqual([{ name: 'top' }]);
  });
});

describe('HookBus: changes during dispatch', () => {
  it('names the right extension when a listener unregisters another one mid-dispatch and a later one fails', () => {
    const { bus, errors } = newBus();
    let offB: () => void = () => undefined;
    bus.on('Tick', () => offB(), { extension: 'a' });
    offB = bus.on('Tick', () => undefined, { extension: 'b' });
    bus.on('Tick', () => {
      throw new Error('c fails');
    }, { extension: 'c' });
    bus.call('Tick', 1);
    expect(errors.map((e) => (e as ListenerError).extension)).toEqual(['c']);
    // Hot path: the change happens while generated code is running.
    const hot = makeBus([]);
    let calls = 0;
    let offY: () => void = () => undefined;
    hot.bus.on('Tick', () => {
      if (++calls === 15) offY();
    }, { extension: 'w' });
    offY = hot.bus.on('Tick', () => undefined, { extension: 'y' });
    hot.bus.on('Tick', () => {
      throw new Error('z fails');
    }, { extension: 'z' });
    callHot(() => hot.bus.call('Tick', 1), 14);
    expect(hot.bus.explain('Tick').compiled).toBe(true);
    hot.errors.length = 0;
    hot.bus.call('Tick', 1);
    expect(hot.errors.map((e) => (e as ListenerError).extension)).toEqual(['z']);
  });
});

describe('HookBus: bad input', () => {
  it('refuses a registration without a function or without an extension, with a coded error', () => {
    const { bus } = newBus();
    const untyped = bus as unknown as { on(n: string, f: unknown, o: unknown): unknown };
    expect(() => untyped.on('Names', 'not a function', { extension: 'x' })).toThrow(expect.objectContaining({ code: 'PB_INVALID_DEFINITION', hook: 'Names' }));
    expect(() => untyped.on('Names', () => 'x', { extension: '' })).toThrow(expect.objectContaining({ code: 'PB_INVALID_DEFINITION' }));
  });

  it('refuses a malformed hook name in the catalogue', () => {
    expect(() => defineHooks({ 'bad name': notify<[]>() })).toThrow(expect.objectContaining({ code: 'PB_INVALID_DEFINITION', hook: 'bad name' }));
  });
});
