/**
 * Type tests: checked by `tsc --noEmit` in `npm test`. Each `@ts-expect-error` line is a
 * negative test: if the line ever compiles, tsc fails with "Unused '@ts-expect-error'".
 */
import { expectTypeOf } from 'expect-type';
import { defineHooks } from './catalogue';
import { createEvents } from './events-facade';
import { extension, observe } from './extension';
import { HookBus } from './hook-bus';
import { collect, collectAsync, merge, notify, notifyAsync } from './hook-spec';
import type { CallReport } from './report';

interface User {
  name: string;
}
interface MenuEntry {
  name: string;
  label: string;
  url: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: User]>(),
  Tick: notify<[n: number]>(),
  UserMenuDisplay: collectAsync<[target: string, user: User], MenuEntry>(),
  Names: collect<[], string>(),
  Pairs: collect<[], [string, string]>(),
  Params: merge<[app: string], Record<string, number>>(),
});
const bus = new HookBus(hooks);
const user: User = { name: 'u' };

describe('types flow from the catalogue', () => {
  it('infers call results', () => {
    expectTypeOf(bus.call('AccountCreated', user)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(bus.call('Tick', 1)).toEqualTypeOf<void>();
    expectTypeOf(bus.call('UserMenuDisplay', 'top_menu', user)).toEqualTypeOf<Promise<MenuEntry[]>>();
    expectTypeOf(bus.call('Names')).toEqualTypeOf<string[]>();
    expectTypeOf(bus.call('Params', 'admin')).toEqualTypeOf<Record<string, number>>();
    expectTypeOf(bus.invoke('Names', [])).toEqualTypeOf<{ readonly result: string[]; readonly report: CallReport }>();
  });

  it('infers listener parameters, including the context of async hooks', () => {
    bus.on('UserMenuDisplay', (target, u, ctx) => {
      expectTypeOf(target).toEqualTypeOf<string>();
      expectTypeOf(u).toEqualTypeOf<User>();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      return [{ name: 'a', label: 'A', url: '/a' }];
    }, { extension: 't' });
    bus.on('Tick', (n) => expectTypeOf(n).toEqualTypeOf<number>(), { extension: 't' });
  });

  it('rejects wrong hook names, arguments, listener signatures and results at compile time', () => {
    // Compiled, never run: the calls below are wrong on purpose.
    function wrongUses(): void {
    // @ts-expect-error unknown hook name
    void bus.call('AccountCreatd', user);
    // @ts-expect-error historic takes true or bounds, not a string
    notify<[n: number]>({ historic: 'yes' });
    // @ts-expect-error historic bounds are numbers
    notify<[n: number]>({ historic: { maxCalls: '10' } });
    // @ts-expect-error wrong argument type
    void bus.call('AccountCreated', 42);
    // @ts-expect-error missing argument
    void bus.call('UserMenuDisplay', 'top_menu');
    // @ts-expect-error listener parameter of the wrong type
    bus.on('Tick', (n: string) => void n, { extension: 't' });
    // @ts-expect-error listener returns the wrong result type
    bus.on('Names', () => 42, { extension: 't' });
    // @ts-expect-error a menu entry lacks `url`
    bus.on('UserMenuDisplay', () => [{ name: 'a', label: 'A' }], { extension: 't' });
    // @ts-expect-error a tuple-valued collect hook needs a list of tuples, not one bare tuple
    bus.on('Pairs', () => ['a', 'b'] as [string, string], { extension: 't' });
    // @ts-expect-error the extension name is required
    bus.on('Names', () => 'x', {});
    // @ts-expect-error merge listeners return objects of the declared value type
    bus.on('Params', () => ({ a: 'not a number' }), { extension: 't' });
    // @ts-expect-error params must name every argument of the tuple
    defineHooks({ Bad: notify<[a: string, b: number]>({ params: ['a'] }) });
    }
    expect(wrongUses).toBeInstanceOf(Function);
  });

  it('checks @observe methods against the hook', () => {
    @extension({ name: 'typed', version: '1' })
    class Typed {
      @observe(hooks.UserMenuDisplay)
      menu(target: string, u: User): MenuEntry[] {
        return [{ name: target, label: u.name, url: '/' }];
      }

      @observe(hooks.AccountCreated)
      async created(account: User): Promise<void> {
        await Promise.resolve(account);
      }

      // @ts-expect-error wrong parameter type for Tick
      @observe(hooks.Tick)
      tick(n: string): void {
        void n;
      }

      // @ts-expect-error returns numbers to a string collect hook
      @observe(hooks.Names)
      names(): number[] {
        return [1];
      }
    }
    expect(Typed).toBeDefined();
  });

  it('types the Modoboa facade: raise only notify hooks, raiseQuery only collect hooks', () => {
    const events = createEvents(bus);
    expectTypeOf(events.raiseQuery('UserMenuDisplay', 'top_menu', user)).toEqualTypeOf<Promise<MenuEntry[]>>();
    function wrongUses(): void {
    // @ts-expect-error raise is for hooks that return nothing
    void events.raise('UserMenuDisplay', 'top_menu', user);
    // @ts-expect-error raiseQuery is for hooks that return values
    void events.raiseQuery('AccountCreated', user);
    // @ts-expect-error register checks the callback signature
    events.register('Tick', (n: boolean) => void n);
    }
    expect(wrongUses).toBeInstanceOf(Function);
  });
});
