/**
 * The Modoboa facade as seed 004 says (issue 21): `unregister_extension` removes every callback
 * of an extension, its name guessed from the calling code, and the bus keeps the one registry
 * of who registered what.
 */
import 'reflect-metadata';
import { Container, inject } from 'inversify';
import { collectAsync, createEvents, defineHooks, EVENTS, extension, ExtensionManager, HookBus, notifyAsync, observe, type Events, type SpecsOfCatalogue } from '@plugboard/core';

const hooks = defineHooks({
  AccountCreated: notifyAsync<[name: string]>({ params: ['name'] }),
  GetAnnouncement: collectAsync<[target: string], string>({ params: ['target'] }),
});
type Specs = SpecsOfCatalogue<typeof hooks>;

function setup() {
  const bus = new HookBus(hooks);
  const events = createEvents(bus);
  const container = new Container();
  container.bind(EVENTS).toConstantValue(events);
  const manager = new ExtensionManager({ bus, container });
  return { bus, events, manager };
}

const announce = (target: string): Promise<string> => Promise.resolve(`hello ${target}`);

@extension({ name: 'mixed', version: '1.0.0' })
class Mixed {
  constructor(@inject(EVENTS) readonly events: Events<Specs>) {
    events.register('GetAnnouncement', announce);
  }

  @observe(hooks.AccountCreated)
  async created(name: string): Promise<void> {
    if (name === 'quit') this.events.unregisterExtension();
    return Promise.resolve();
  }
}

describe('the events facade keeps track of every callback', () => {
  it('unregisterExtension() removes decorated and registered listeners alike', async () => {
    const { bus, events, manager } = setup();
    await manager.install(Mixed);
    expect(bus.listenersOf('mixed').map((l) => [l.hook, l.origin])).toEqual([
      ['AccountCreated', 'observe'],
      ['GetAnnouncement', 'events'],
    ]);
    events.unregisterExtension('mixed');
    expect(bus.listenersOf('mixed')).toEqual([]);
    await expect(events.raiseQuery('GetAnnouncement', 'all')).resolves.toEqual([]);
  });

  it('called from the extension\'s own listener, it guesses the extension from the running code', async () => {
    const { bus, events, manager } = setup();
    await manager.install(Mixed);
    await events.raise('AccountCreated', 'quit');
    expect(bus.listenersOf('mixed')).toEqual([]);
  });

  it('reinstalling restores what the extension registers in its constructor', async () => {
    const { events, manager } = setup();
    await manager.install(Mixed);
    await manager.unregister('mixed');
    await manager.install(Mixed);
    await manager.enable('mixed');
    await expect(events.raiseQuery('GetAnnouncement', 'all')).resolves.toEqual(['hello all']);
  });

  it('a callback removed with bus.off can be registered again, and separate facades share one registry', async () => {
    const { bus, events } = setup();
    events.register('GetAnnouncement', announce);
    bus.off('GetAnnouncement', announce);
    events.register('GetAnnouncement', announce);
    await expect(events.raiseQuery('GetAnnouncement', 'x')).resolves.toEqual(['hello x']);
    const other = createEvents(bus);
    other.register('GetAnnouncement', announce);
    await expect(other.raiseQuery('GetAnnouncement', 'x')).resolves.toEqual(['hello x']);
    other.unregisterExtension('host');
    await expect(events.raiseQuery('GetAnnouncement', 'x')).resolves.toEqual([]);
  });
});
