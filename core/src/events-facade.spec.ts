/**
 * Mirrors, sentence by sentence, the "Introduction" of the Modoboa events documentation (seed 004).
 */
import { defineHooks } from './catalogue';
import { createEvents } from './events-facade';
import { runAsExtension } from './extension-context';
import { HookBus } from './hook-bus';
import { collectAsync, notifyAsync } from './hook-spec';

interface User {
  username: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: User]>(),
  AccountDeleted: notifyAsync<[account: User, byuser: User, options?: Record<string, unknown>]>(),
  GetAnnouncement: collectAsync<[target: string], string>(),
  PasswordChange: collectAsync<[user: User], boolean>(),
});

function setup() {
  const bus = new HookBus(hooks);
  return { bus, events: createEvents(bus) };
}

const alice = { username: 'alice' };

describe('Modoboa events facade', () => {
  it('"It understands two kinds of events: those returning a value, those returning nothing"', async () => {
    const { events } = setup();
    events.register('AccountCreated', () => undefined);
    events.register('GetAnnouncement', () => ['hi']);
    expect(await events.raise('AccountCreated', alice)).toBeUndefined();
    expect(await events.raiseQuery('GetAnnouncement', 'loginpage')).toEqual(['hi']);
  });

  it('"Listening to a specific event is achieved with events.register(event, callback)"; the callback is called each time the event is raised', async () => {
    const { events } = setup();
    const seen: string[] = [];
    events.register('AccountCreated', (account) => void seen.push(account.username));
    await events.raise('AccountCreated', alice);
    await events.raise('AccountCreated', { username: 'bob' });
    expect(seen).toEqual(['alice', 'bob']);
  });

  it('"Each event imposes a specific prototype": callbacks receive the arguments in the documented order', async () => {
    const { events } = setup();
    const seen: unknown[] = [];
    events.register('AccountDeleted', (account, byuser, options) => void seen.push([account.username, byuser.username, options]));
    await events.raise('AccountDeleted', alice, { username: 'admin' }, { keepdir: true });
    expect(seen).toEqual([['alice', 'admin', { keepdir: true }]]);
  });

  it('registering the same callback twice keeps one registration', async () => {
    const { events } = setup();
    let calls = 0;
    const cb = (): void => void calls++;
    events.register('AccountCreated', cb);
    events.register('AccountCreated', cb);
    await events.raise('AccountCreated', alice);
    expect(calls).toBe(1);
  });

  it('"You can also use the custom decorator events.observe"', async () => {
    const { events } = setup();
    const callback = events.observe('GetAnnouncement')((target: string) => `observed ${target}`);
    expect(typeof callback).toBe('function');
    expect(await events.raiseQuery('GetAnnouncement', 'loginpage')).toEqual(['observed loginpage']);
  });

  it('"To stop listening to a specific event, use unregister with the same parameters as register"', async () => {
    const { events } = setup();
    let calls = 0;
    const cb = (): void => void calls++;
    events.register('AccountCreated', cb);
    events.unregister('AccountCreated', cb);
    await events.raise('AccountCreated', alice);
    expect(calls).toBe(0);
  });

  it('"To unregister all events declared by a specific extension, use unregister_extension(name)"', async () => {
    const { events } = setup();
    runAsExtension('stats', () => {
      events.register('GetAnnouncement', () => 'stats');
      events.register('PasswordChange', () => [false]);
    });
    runAsExtension('motd', () => events.register('GetAnnouncement', () => 'motd'));
    events.unregisterExtension('stats');
    expect(await events.raiseQuery('GetAnnouncement', 'x')).toEqual(['motd']);
    expect(await events.raiseQuery('PasswordChange', alice)).toEqual([]);
  });

  it('"Leave the name empty to let the function guess the name": it targets the calling extension', async () => {
    const { events } = setup();
    runAsExtension('stats', () => events.register('GetAnnouncement', () => 'stats'));
    runAsExtension('motd', () => events.register('GetAnnouncement', () => 'motd'));
    await runAsExtension('stats', async () => {
      await Promise.resolve();
      events.unregisterExtension();
    });
    expect(await events.raiseQuery('GetAnnouncement', 'x')).toEqual(['motd']);
    expect(() => events.unregisterExtension()).toThrow(expect.objectContaining({ code: 'PB_EXT_NO_CONTEXT' }));
  });

  it('raiseQuery concatenates the lists returned by every callback (PasswordChange: any true cancels)', async () => {
    const { events } = setup();
    events.register('PasswordChange', () => [false]);
    events.register('PasswordChange', () => [true]);
    const answers = await events.raiseQuery('PasswordChange', alice);
    expect(answers).toEqual([false, true]);
    expect(answers.includes(true)).toBe(true);
  });
});

describe('optional trailing arguments', () => {
  it('keeps the listener context in place when a call leaves optional arguments out', async () => {
    const named = defineHooks({
      AccountDeleted: notifyAsync<[account: User, byuser: User, options?: Record<string, unknown>]>({ params: ['account', 'byuser', 'options'] }),
    });
    const bus = new HookBus(named);
    const seen: unknown[] = [];
    bus.on('AccountDeleted', (account, byuser, options, ctx) => void seen.push([options, ctx.hook]), { extension: 'x' });
    await bus.call('AccountDeleted', alice, alice);
    expect(seen).toEqual([[undefined, 'AccountDeleted']]);
    expect(bus.explain('AccountDeleted').params).toEqual(['account', 'byuser', 'options']);
  });
});
