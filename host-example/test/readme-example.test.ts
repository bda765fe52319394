// The "write an extension" example of README.md, kept here so it compiles and runs in the test run.
import { extension, observe } from '@plugboard/core';
import { createHost, hostHooks, type MenuEntry, type User, type UserMenuTarget } from '@plugboard/host-example';
import { join } from 'node:path';
import { tempDir } from './helpers';

@extension({ name: 'welcome', version: '1.0.0', description: 'Greets new accounts and adds a menu entry.' })
class Welcome {
  readonly greeted: string[] = [];

  @observe(hostHooks.AccountCreated)
  created(account: User): void {
    this.greeted.push(account.username);
  }

  @observe(hostHooks.UserMenuDisplay)
  menu(target: UserMenuTarget): MenuEntry[] {
    return target === 'top_menu' ? [{ name: 'welcome', label: 'Welcome', url: '/welcome' }] : [];
  }
}

describe('README example', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('installs an extension that observes AccountCreated and adds a menu entry', async () => {
    const host = await createHost({ dbFile: join(tmp.dir, 'demo.sqlite'), port: 0, extensions: [Welcome], logger: 'silent', admin: { password: 'readme-pass' } });
    const url = await host.listen();
    try {
      const post = (path: string, body: unknown, token?: string) =>
        fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ token: string }>);
      const { token } = await post('/api/login', { username: 'admin', password: 'readme-pass' });
      await post('/api/domains', { name: 'example.com' }, token);
      await post('/api/accounts', { username: 'ann@example.com', password: 'correct horse' }, token);

      expect(host.manager.instance<Welcome>('welcome')?.greeted).toEqual(['ann@example.com']);
      const menu = (await fetch(`${url}/api/menus/top_menu`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as { entries: MenuEntry[] };
      expect(menu.entries).toContainEqual({ name: 'welcome', label: 'Welcome', url: '/welcome' });
    } finally {
      await host.close();
    }
  });
});
