import 'reflect-metadata';
import { Container, inject } from 'inversify';
import { defineHooks } from './catalogue';
import { ExtensionError } from './errors';
import { extension, observe } from './extension';
import { ExtensionManager, type ExtensionInfo, type ExtensionStateStore } from './extension-manager';
import { HookBus } from './hook-bus';
import { collectAsync, notifyAsync } from './hook-spec';

interface Account {
  email: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
  GetAnnouncement: collectAsync<[target: string], string>(),
  ExtEnabled: notifyAsync<[extension: ExtensionInfo]>(),
  ExtDisabled: notifyAsync<[extension: ExtensionInfo]>(),
});

const GREETING = Symbol('Greeting');

@extension({ name: 'greeter', version: '1.0.0' })
class Greeter {
  constructor(@inject(GREETING) private readonly greeting: string) {}

  @observe(hooks.GetAnnouncement)
  announce(target: string): string {
    return `${this.greeting} ${target}`;
  }
}

@extension({ name: 'audit', version: '2.0.0', requires: ['greeter'] })
class Audit {
  readonly seen: string[] = [];

  @observe(hooks.AccountCreated)
  created(account: Account): void {
    this.seen.push(account.email);
  }

  @observe(hooks.GetAnnouncement, { priority: 5 })
  announce(): string[] {
    return ['audited'];
  }
}

@extension({ name: 'broken-ctor', version: '0.0.1' })
class BrokenConstructor {
  constructor() {
    throw new Error('cannot start');
  }
  @observe(hooks.GetAnnouncement)
  announce(): string {
    return 'never';
  }
}

@extension({ name: 'broken-enable', version: '0.0.1' })
class BrokenEnable {
  onEnable(): void {
    throw new Error('no licence');
  }
  @observe(hooks.GetAnnouncement)
  announce(): string {
    return 'never';
  }
}

class MemoryStore implements ExtensionStateStore {
  readonly states = new Map<string, boolean>();
  load(name: string): boolean | undefined {
    return this.states.get(name);
  }
  save(name: string, enabled: boolean): void {
    this.states.set(name, enabled);
  }
}

function setup(store?: ExtensionStateStore) {
  const container = new Container();
  container.bind(GREETING).toConstantValue('hello');
  const bus = new HookBus(hooks, { onError: () => undefined });
  const manager = new ExtensionManager({ bus, container, store });
  const lifecycle: string[] = [];
  bus.on('ExtEnabled', (info) => void lifecycle.push(`enabled:${info.name}:${manager.find(info.name)?.state}`), { extension: 'host' });
  bus.on('ExtDisabled', (info) => void lifecycle.push(`disabled:${info.name}:${manager.find(info.name)?.state}`), { extension: 'host' });
  return { bus, manager, container, lifecycle };
}

describe('ExtensionManager', () => {
  it('resolves extensions through the container so they can inject host services', async () => {
    const { bus, manager } = setup();
    await manager.install(Greeter);
    expect(await bus.call('GetAnnouncement', 'loginpage')).toEqual(['hello loginpage']);
    expect(manager.list()).toEqual([expect.objectContaining({ name: 'greeter', version: '1.0.0', state: 'enabled', hooks: ['GetAnnouncement'] })]);
  });

  it('raises ExtEnabled and ExtDisabled after the state has changed', async () => {
    const { manager, lifecycle } = setup();
    await manager.install(Greeter);
    await manager.disable('greeter');
    await manager.enable('greeter');
    expect(lifecycle).toEqual(['enabled:greeter:enabled', 'disabled:greeter:disabled', 'enabled:greeter:enabled']);
  });

  it('disable skips listeners but keeps their order; enable restores them', async () => {
    const { bus, manager } = setup();
    await manager.install(Greeter);
    await manager.install(Audit);
    expect(await bus.call('GetAnnouncement', 'x')).toEqual(['audited', 'hello x']);
    await manager.disable('audit');
    expect(await bus.call('GetAnnouncement', 'x')).toEqual(['hello x']);
    await manager.enable('audit');
    expect(await bus.call('GetAnnouncement', 'x')).toEqual(['audited', 'hello x']);
  });

  it('refuses to enable an extension whose requirement is missing or disabled, naming it', async () => {
    const { manager } = setup();
    await expect(manager.install(Audit)).rejects.toMatchObject({ code: 'PB_EXT_REQUIRES', extension: 'audit' });
    expect(manager.find('audit')?.state).toBe('disabled');
    await manager.install(Greeter, { enabled: false });
    await expect(manager.enable('audit')).rejects.toThrow(/requires "greeter": "greeter" is not enabled/);
    await manager.enable('greeter');
    await manager.enable('audit');
    await expect(manager.disable('greeter')).rejects.toMatchObject({ code: 'PB_EXT_REQUIRED_BY' });
  });

  it('unregister removes every listener the extension had', async () => {
    const { bus, manager } = setup();
    await manager.install(Greeter);
    const audit = await manager.install(Audit);
    expect(audit.state).toBe('enabled');
    await manager.unregister('audit');
    expect(bus.explain('GetAnnouncement').listeners.map((l) => l.extension)).toEqual(['greeter']);
    expect(bus.explain('AccountCreated').listeners).toEqual([]);
    expect(manager.find('audit')).toBeUndefined();
    // It can be installed again afterwards.
    await manager.install(Audit);
    expect(manager.find('audit')?.state).toBe('enabled');
  });

  it('an extension throwing in its constructor leaves the host and the others running, and the error names it', async () => {
    const { bus, manager } = setup();
    await manager.install(Greeter);
    const error = await manager.install(BrokenConstructor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionError);
    expect(error).toMatchObject({ code: 'PB_EXT_CONSTRUCT_FAILED', extension: 'broken-ctor' });
    expect((error as Error).message).toContain('broken-ctor');
    expect(manager.find('broken-ctor')).toMatchObject({ state: 'failed', error: 'cannot start' });
    expect(await bus.call('GetAnnouncement', 'x')).toEqual(['hello x']);
  });

  it('an extension throwing in onEnable stays disabled and names itself', async () => {
    const { bus, manager } = setup();
    await manager.install(Greeter);
    await expect(manager.install(BrokenEnable)).rejects.toMatchObject({ code: 'PB_EXT_ENABLE_FAILED', extension: 'broken-enable' });
    expect(manager.find('broken-enable')?.state).toBe('failed');
    expect(await bus.call('GetAnnouncement', 'x')).toEqual(['hello x']);
  });

  it('installAll installs every healthy extension and reports the failures together', async () => {
    const { manager } = setup();
    const error = await manager.installAll([Greeter, BrokenConstructor, Audit]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(1);
    expect(manager.list().map((i) => [i.name, i.state])).toEqual([
      ['greeter', 'enabled'],
      ['broken-ctor', 'failed'],
      ['audit', 'enabled'],
    ]);
  });

  it('persists the enabled state through the store and honours it at the next install', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    await first.manager.install(Greeter);
    await first.manager.disable('greeter');
    expect(store.states.get('greeter')).toBe(false);
    const second = setup(store);
    await second.manager.install(Greeter);
    expect(second.manager.find('greeter')?.state).toBe('disabled');
    expect(await second.bus.call('GetAnnouncement', 'x')).toEqual([]);
  });

  it('applyStored follows a state another manager saved (awaiting an async store) without saving it again', async () => {
    const memory = new MemoryStore();
    const saves: string[] = [];
    const store: ExtensionStateStore = {
      load: async (name) => memory.load(name),
      save: async (name, enabled) => {
        saves.push(`${name}:${enabled}`);
        memory.save(name, enabled);
      },
      reason: async () => 'too many failures',
    };
    const here = setup(store);
    const there = setup(store);
    await here.manager.install(Greeter);
    await there.manager.install(Greeter);
    saves.length = 0;

    await here.manager.disable('greeter');
    expect(await there.manager.applyStored('greeter')).toMatchObject({ state: 'disabled', reason: 'too many failures' });
    expect(await there.bus.call('GetAnnouncement', 'x')).toEqual([]);
    await here.manager.enable('greeter');
    expect((await there.manager.applyStored('greeter'))?.state).toBe('enabled');
    expect(await there.bus.call('GetAnnouncement', 'x')).toEqual(['hello x']);
    expect(saves).toEqual(['greeter:false', 'greeter:true']);
    expect(there.lifecycle.slice(1)).toEqual(['disabled:greeter:disabled', 'enabled:greeter:enabled']);
    expect(await there.manager.applyStored('not-installed')).toBeUndefined();
  });

  it('rejects a class that is not decorated, and an unknown extension name', async () => {
    const { manager } = setup();
    class Plain {}
    await expect(manager.install(Plain)).rejects.toMatchObject({ code: 'PB_EXT_INVALID' });
    await expect(manager.enable('nope')).rejects.toMatchObject({ code: 'PB_EXT_UNKNOWN' });
  });
});
