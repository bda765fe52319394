/**
 * Fault injection against the bus and the manager (issue 21): nothing an extension does may
 * stall or break the host, and `call` and `invoke` agree on every refusal.
 */
import 'reflect-metadata';
import { Container } from 'inversify';
import {
  collect,
  collectAsync,
  defineHooks,
  extension,
  ExtensionManager,
  HookBus,
  notifyAsync,
  observe,
  type ExtensionInfo,
  type ExtensionStateStore,
  type SpecsOfCatalogue,
} from '@plugboard/core';
import { z } from 'zod';

const hooks = defineHooks({
  Names: collect<[], string>(),
  Menu: collectAsync<[target: string], { label: string }>({ params: ['target'], result: z.object({ label: z.string() }) }),
  Created: notifyAsync<[name: string]>({ params: ['name'] }),
  ExtEnabled: notifyAsync<[extension: ExtensionInfo]>(),
  ExtDisabled: notifyAsync<[extension: ExtensionInfo]>(),
});

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('a sync hook whose listener returns a promise', () => {
  it.each([1, 20])('is refused the same way by call and invoke (call number %i, cold and compiled)', (calls) => {
    const errors: unknown[] = [];
    const bus = new HookBus(hooks, { onError: (e) => errors.push(e) });
    bus.on('Names', () => 'ok', { extension: 'good' });
    bus.on('Names', (() => Promise.resolve('late')) as unknown as () => string, { extension: 'sloppy' });
    let outcome: unknown;
    for (let i = 0; i < calls; i++) outcome = (() => { try { return bus.call('Names'); } catch (e) { return e; } })();
    expect(outcome).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'sloppy' });
    expect(() => bus.invoke('Names', [])).toThrow(expect.objectContaining({ code: 'PB_LISTENER_FAILED', extension: 'sloppy' }));

    const isolated = new HookBus(defineHooks({ Names: collect<[], string>({ policy: 'isolate' }) }), { onError: (e) => errors.push(e) });
    isolated.on('Names', () => 'ok', { extension: 'good' });
    isolated.on('Names', (() => Promise.resolve('late')) as unknown as () => string, { extension: 'sloppy' });
    let result: unknown;
    for (let i = 0; i < calls; i++) result = isolated.call('Names');
    expect(result).toEqual(['ok']);
    expect(isolated.invoke('Names', []).result).toEqual(['ok']);
    expect(errors.at(-1)).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'sloppy', message: expect.stringContaining('returned a promise') });
  });
});

describe('time limits chosen by the host', () => {
  it('a bus default limits every async listener that declares none; the call settles and reports the timeout', async () => {
    const bus = new HookBus(hooks, { timeoutMs: 20, onError: () => undefined });
    bus.on('Created', never, { extension: 'hang' });
    let ran = false;
    bus.on('Created', () => { ran = true; return Promise.resolve(); }, { extension: 'fine' });
    const { report } = await bus.invoke('Created', ['x']);
    expect(ran).toBe(true);
    expect(report.listeners.map((l) => [l.extension, l.status])).toEqual([['hang', 'timeout'], ['fine', 'ok']]);
    await expect(bus.call('Created', 'x')).resolves.toBeUndefined();
    expect(bus.explain('Created').listeners[0].timeoutMs).toBe(20);
  });

  it('per-hook and per-extension limits override the default; the host may choose a hook\'s policy', async () => {
    const bus = new HookBus(hooks, {
      timeoutMs: 10_000,
      hooks: { Menu: { timeoutMs: 20, policy: 'isolate' } },
      extensions: { patient: { timeoutMs: 5_000 } },
      onError: () => undefined,
    });
    bus.on('Menu', never, { extension: 'hang' });
    bus.on('Menu', () => ({ label: 'ok' }), { extension: 'good' });
    bus.on('Menu', () => ({ nope: 1 }) as unknown as { label: string }, { extension: 'bad' });
    await expect(bus.call('Menu', 'top')).resolves.toEqual([{ label: 'ok' }]);
    const { report } = await bus.invoke('Menu', ['top']);
    expect(report.listeners.map((l) => l.status)).toEqual(['timeout', 'ok', 'error']);
    expect(bus.explain('Menu').policy).toBe('isolate');
    expect(bus.explain('Created').listeners).toEqual([]);
    bus.on('Created', () => Promise.resolve(), { extension: 'patient' });
    expect(bus.explain('Created').listeners[0].timeoutMs).toBe(5_000);
    expect(() => new HookBus(hooks, { hooks: { Nope: { policy: 'isolate' } } as never })).toThrow(expect.objectContaining({ code: 'PB_UNKNOWN_HOOK' }));
  });

  it('report lines carry each listener\'s value and how it was registered', async () => {
    const bus = new HookBus(hooks);
    bus.on('Menu', () => ({ label: 'a' }), { extension: 'a' });
    bus.on('Menu', () => undefined as unknown as { label: string }, { extension: 'b', origin: 'events' });
    const { report } = await bus.invoke('Menu', ['top']);
    expect(report.listeners[0]).toMatchObject({ extension: 'a', origin: 'on', status: 'ok', value: { label: 'a' } });
    expect(report.listeners[1]).toMatchObject({ extension: 'b', origin: 'events', status: 'ok' });
    expect(report.listeners[1]).not.toHaveProperty('value');
  });
});

describe('extension lifecycle limits', () => {
  @extension({ name: 'hang', version: '1.0.0' })
  class Hang {
    onEnable(): Promise<void> {
      return never();
    }
  }
  @extension({ name: 'fine', version: '1.0.0' })
  class Fine {
    @observe(hooks.Created) created(): Promise<void> {
      return Promise.resolve();
    }
  }

  it('an onEnable that never settles fails its extension within the limit; the others install', async () => {
    const manager = new ExtensionManager({ bus: new HookBus(hooks), container: new Container(), lifecycleTimeoutMs: 30 });
    await expect(manager.installAll([Hang, Fine])).rejects.toMatchObject({ errors: [expect.objectContaining({ code: 'PB_EXT_TIMEOUT', extension: 'hang' })] });
    expect(manager.list().map((i) => [i.name, i.state])).toEqual([['hang', 'failed'], ['fine', 'enabled']]);
    expect(manager.find('hang')?.error).toMatch(/onEnable\(\) did not settle within 30 ms/);
  });

  it('unregister keeps the persisted state, so a reinstalled extension comes back enabled', async () => {
    const saved = new Map<string, boolean>();
    const store: ExtensionStateStore = { load: (n) => saved.get(n), save: (n, e) => void saved.set(n, e) };
    const manager = new ExtensionManager({ bus: new HookBus(hooks), container: new Container(), store });
    await manager.install(Fine);
    await manager.unregister('fine');
    expect((await manager.install(Fine)).state).toBe('enabled');
    await manager.disable('fine', { reason: 'maintenance' });
    expect(manager.find('fine')).toMatchObject({ state: 'disabled', reason: 'maintenance' });
    await manager.unregister('fine');
    expect((await manager.install(Fine)).state).toBe('disabled');
  });
});

describe('ordering errors through the manager', () => {
  const manager = (): ExtensionManager<SpecsOfCatalogue<typeof hooks>> =>
    new ExtensionManager({ bus: new HookBus(hooks), container: new Container() });

  it('refuses an unknown name and a self-reference with the documented codes', async () => {
    @extension({ name: 'typo', version: '1.0.0', after: ['audit-lgo'] })
    class Typo {
      @observe(hooks.Created) created(): Promise<void> {
        return Promise.resolve();
      }
    }
    @extension({ name: 'selfish', version: '1.0.0', before: ['selfish'] })
    class Selfish {
      @observe(hooks.Created) created(): Promise<void> {
        return Promise.resolve();
      }
    }
    const m = manager();
    await expect(m.install(Typo)).rejects.toMatchObject({ code: 'PB_ORDER_UNKNOWN', extension: 'typo', message: expect.stringContaining('audit-lgo') });
    await expect(m.install(Selfish)).rejects.toMatchObject({ code: 'PB_ORDER_CYCLE', extension: 'selfish' });
  });

  it('refuses a before/after cycle as PB_ORDER_CYCLE and a requires cycle naming it a cycle', async () => {
    @extension({ name: 'x', version: '1.0.0', before: ['y'] })
    class X {
      @observe(hooks.Created) created(): Promise<void> {
        return Promise.resolve();
      }
    }
    @extension({ name: 'y', version: '1.0.0', before: ['x'] })
    class Y {
      @observe(hooks.Created) created(): Promise<void> {
        return Promise.resolve();
      }
    }
    const m = manager();
    await expect(m.installAll([X, Y])).rejects.toMatchObject({ errors: [expect.objectContaining({ code: 'PB_ORDER_CYCLE' })] });

    @extension({ name: 'p', version: '1.0.0', requires: ['q'] })
    class P {}
    @extension({ name: 'q', version: '1.0.0', requires: ['p'] })
    class Q {}
    const m2 = manager();
    const failure = (await m2.installAll([P, Q]).catch((e: unknown) => e)) as AggregateError;
    expect(failure.errors).toEqual([
      expect.objectContaining({ code: 'PB_EXT_REQUIRES' }),
      expect.objectContaining({ code: 'PB_ORDER_CYCLE', message: expect.stringMatching(/cycle: "q" requires "p" requires "q"/) }),
    ]);
  });
});
