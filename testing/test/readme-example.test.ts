// The 30-second example of testing/README.md, kept compiling and passing.
import { collectAsync, defineExtension, defineHooks, notifyAsync } from '@plugboard/core';
import { testExtension } from '@plugboard/testing';

interface Account { email: string }
interface MenuEntry { name: string; label: string; url: string }

// The host's catalogue (in a real extension: imported from the host's catalogue package).
const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>({ params: ['account'] }),
  UserMenuDisplay: collectAsync<[target: string, user: Account], MenuEntry>({ params: ['target', 'user'] }),
});

// The extension under test, with a service it needs.
class Mailer { send(_to: string): void { throw new Error('no mail in unit tests'); } }
const Welcome = defineExtension(hooks, {
  name: 'welcome', version: '1.0.0',
  inject: { mailer: Mailer },
  hooks: {
    AccountCreated(account) { this.mailer.send(account.email); },
    UserMenuDisplay(target) { return target === 'top_menu' ? [{ name: 'welcome', label: 'Welcome', url: '/welcome' }] : []; },
  },
});

it('tests an extension with no database and no server', async () => {
  const sent: string[] = [];
  const t = await testExtension(hooks, Welcome, { services: [[Mailer, { send: (to: string) => sent.push(to) }]] });

  await t.call('AccountCreated', { email: 'ann@example.org' });
  expect(sent).toEqual(['ann@example.org']);

  const { result, report } = await t.invoke('UserMenuDisplay', ['top_menu', { email: 'x' }]);
  expect(result).toEqual([{ name: 'welcome', label: 'Welcome', url: '/welcome' }]);
  expect(report.listeners.map((l) => [l.extension, l.status])).toEqual([['welcome', 'ok']]);

  await t.disable();
  expect(await t.call('UserMenuDisplay', 'top_menu', { email: 'x' })).toEqual([]);
});
