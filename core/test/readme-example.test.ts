// The 30-second example of core/README.md and the root README.md, kept compiling and passing.
import 'reflect-metadata';
import { Container, inject, injectable } from 'inversify';
import { ExtensionManager, HookBus, collectAsync, createEvents, defineHooks, extension, notifyAsync, observe } from '@plugboard/core';

// 1. The host declares its hooks once: arguments, result type, kind.
interface Account { email: string }
interface MenuEntry { name: string; label: string; url: string }

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>({ params: ['account'] }),
  UserMenuDisplay: collectAsync<[target: string, user: Account], MenuEntry>({ params: ['target', 'user'] }),
});

// 2. An extension observes them; its methods are type-checked against the hooks.
@injectable()
class Mailer {
  readonly sent: string[] = [];
  send(to: string): void { this.sent.push(to); }
}

@extension({ name: 'welcome', version: '1.0.0' })
class Welcome {
  constructor(@inject(Mailer) private readonly mailer: Mailer) {}

  @observe(hooks.AccountCreated)
  created(account: Account): void { this.mailer.send(account.email); }

  @observe(hooks.UserMenuDisplay)
  menu(target: string): MenuEntry[] {
    return target === 'top_menu' ? [{ name: 'welcome', label: 'Welcome', url: '/welcome' }] : [];
  }
}

it('runs the README example', async () => {
  // 3. The host wires the bus, the DI container and the extension manager, then calls hooks.
  const container = new Container();
  container.bind(Mailer).toSelf().inSingletonScope();
  const bus = new HookBus(hooks);
  const manager = new ExtensionManager({ bus, container });
  await manager.install(Welcome);

  await bus.call('AccountCreated', { email: 'ann@example.org' });
  const menu = await bus.call('UserMenuDisplay', 'top_menu', { email: 'ann@example.org' }); // MenuEntry[]

  expect(container.get(Mailer).sent).toEqual(['ann@example.org']);
  expect(menu).toEqual([{ name: 'welcome', label: 'Welcome', url: '/welcome' }]);

  // Per-call report: who ran, how it went, how long it took.
  const { report } = await bus.invoke('UserMenuDisplay', ['top_menu', { email: 'x' }]);
  expect(report.listeners.map((l) => [l.extension, l.status])).toEqual([['welcome', 'ok']]);

  // The Modoboa-style facade over the same bus.
  const events = createEvents(bus);
  const audit: string[] = [];
  events.register('AccountCreated', (account) => void audit.push(account.email));
  await events.raise('AccountCreated', { email: 'bob@example.org' });
  expect(audit).toEqual(['bob@example.org']);
  expect(await events.raiseQuery('UserMenuDisplay', 'uprefs_menu', { email: 'x' })).toEqual([]);

  await manager.disable('welcome');
  expect(await bus.call('UserMenuDisplay', 'top_menu', { email: 'x' })).toEqual([]);
});
