import 'reflect-metadata';
import { Container, injectable } from 'inversify';
import { defineHooks } from './catalogue';
import { defineExtension, isExtensionDefinition } from './define-extension';
import { isExtensionClass } from './extension';
import { ExtensionManager } from './extension-manager';
import { HookBus } from './hook-bus';
import { collectAsync, notify, notifyAsync } from './hook-spec';

interface Account {
  email: string;
}
interface MenuEntry {
  name: string;
  url: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>({ params: ['account'] }),
  UserMenuDisplay: collectAsync<[target: string, user: Account], MenuEntry>({ params: ['target', 'user'] }),
  Tick: notify<[n: number]>(),
  onEnable: notify<[]>(),
});

@injectable()
class Mailer {
  readonly sent: string[] = [];
  send(to: string): void {
    this.sent.push(to);
  }
}

function host() {
  const container = new Container();
  container.bind(Mailer).toSelf().inSingletonScope();
  const bus = new HookBus(hooks);
  return { container, bus, manager: new ExtensionManager({ bus, container }), mailer: container.get(Mailer) };
}

describe('defineExtension: extensions without decorators', () => {
  it('installs like a decorated class: services injected by name, listeners bound by hook name', async () => {
    const enabled: string[] = [];
    const Welcome = defineExtension(hooks, {
      name: 'welcome',
      version: '1.0.0',
      inject: { mailer: Mailer },
      hooks: {
        AccountCreated(account) {
          this.mailer.send(account.email);
        },
        UserMenuDisplay(target) {
          return target === 'top_menu' ? [{ name: 'welcome', url: '/welcome' }] : [];
        },
      },
      onEnable() {
        enabled.push(this.mailer.constructor.name);
      },
    });
    expect(isExtensionDefinition(Welcome)).toBe(true);
    expect(isExtensionClass(Welcome)).toBe(true);
    const { bus, manager, mailer } = host();
    const info = await manager.install(Welcome);
    expect(info).toMatchObject({ name: 'welcome', state: 'enabled', hooks: ['AccountCreated', 'UserMenuDisplay'] });
    await bus.call('AccountCreated', { email: 'ann@example.org' });
    expect(mailer.sent).toEqual(['ann@example.org']);
    expect(await bus.call('UserMenuDisplay', 'top_menu', { email: 'x' })).toEqual([{ name: 'welcome', url: '/welcome' }]);
    expect(enabled).toEqual(['Mailer']);
    await manager.disable('welcome');
    expect(await bus.call('UserMenuDisplay', 'top_menu', { email: 'x' })).toEqual([]);
  });

  it('takes the catalogue as a type only, and a hook may share a name with a lifecycle method', async () => {
    let ticks = 0;
    const Counter = defineExtension<typeof hooks>()({
      name: 'counter',
      version: '0.1.0',
      hooks: {
        Tick(n) {
          ticks += n;
        },
        onEnable() {
          ticks += 100;
        },
      },
    });
    const { bus, manager } = host();
    await manager.install(Counter);
    bus.call('Tick', 2);
    bus.call('onEnable');
    expect(ticks).toBe(102);
  });

  it('refuses a listener that is not a function with a coded error naming the hook', () => {
    expect(() => defineExtension(hooks, { name: 'bad', version: '1', hooks: { Tick: 42 as never } })).toThrow(
      expect.objectContaining({ code: 'PB_EXT_INVALID', message: expect.stringContaining('hooks.Tick') }),
    );
  });

  it('rejects wrong hook names, listener signatures and results at compile time', () => {
    // Compiled, never run: each definition below is wrong on purpose.
    function wrongUses(): void {
      defineExtension(hooks, {
        name: 'x',
        version: '1',
        // @ts-expect-error unknown hook name
        hooks: { AccountCreatd() {} },
      });
      defineExtension(hooks, {
        name: 'x',
        version: '1',
        hooks: {
          // @ts-expect-error wrong argument type
          Tick(n: string) {
            void n;
          },
        },
      });
      defineExtension(hooks, {
        name: 'x',
        version: '1',
        hooks: {
          // @ts-expect-error wrong result element type
          UserMenuDisplay() {
            return [{ name: 1 }];
          },
        },
      });
      defineExtension<typeof hooks>()({
        name: 'x',
        version: '1',
        inject: { mailer: Mailer },
        hooks: {
          AccountCreated() {
            // @ts-expect-error services are typed: Mailer has no `post`
            this.mailer.post();
          },
        },
      });
    }
    expect(typeof wrongUses).toBe('function');
  });
});
