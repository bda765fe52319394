/**
 * Fault injection through the real host (issue 21): an extension that hangs, throws or answers
 * nonsense never stalls the host, breaks a page or lets a veto through.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { extension, HookBus, observe, type ListenerContext } from '@plugboard/core';
import { hostHooks, HOOK_NAMES, type MenuEntry } from '../src/hooks';
import type { User } from '../src/model';
import { createHostBus, DISPLAY_HOOKS } from '../src/host-bus';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { createHost } from '../src/host';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

const never = (): Promise<never> => new Promise<never>(() => undefined);

@extension({ name: 'hang', version: '1.0.0' })
class Hang {
  onEnable(): Promise<void> {
    return never();
  }
}

@extension({ name: 'stuck-relay', version: '1.0.0' })
class StuckRelay {
  @observe(hostHooks.RelayDomainCreated)
  created(): Promise<void> {
    return never();
  }
}

@extension({ name: 'bad-menu', version: '1.0.0' })
class BadMenu {
  @observe(hostHooks.UserMenuDisplay)
  async menu(): Promise<MenuEntry[]> {
    return [{ name: 'broken' } as unknown as MenuEntry];
  }
}

@extension({ name: 'good-menu', version: '1.0.0' })
class GoodMenu {
  @observe(hostHooks.UserMenuDisplay)
  async menu(target: string): Promise<MenuEntry[]> {
    return target === 'top_menu' ? [{ name: 'stats', label: 'Stats', url: '/stats' }] : [];
  }
}

@extension({ name: 'broken-veto', version: '1.0.0' })
class BrokenVeto {
  @observe(hostHooks.CanCreate)
  async canCreate(_user: User, _ctx: ListenerContext): Promise<boolean> {
    throw new Error('quota service unreachable');
  }
}

describe('extension faults in the host', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('an onEnable that never settles does not keep the host from starting; the extensions after it are installed', async () => {
    const host = await createHost({ dbFile: join(tmp.dir, 'hang.sqlite'), extensions: [Hang, ...SAMPLE_EXTENSIONS], logger: 'silent', lifecycleTimeoutMs: 50, deliver: false });
    try {
      expect(host.manager.find('hang')).toMatchObject({ state: 'failed', error: expect.stringContaining('did not settle within 50 ms') });
      expect(host.manager.list().filter((i) => i.name !== 'hang').every((i) => i.state === 'enabled')).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('a listener that never settles cannot hang the API: the relay domain answers within the limit', async () => {
    const run = await start(join(tmp.dir, 'relay.sqlite'), [StuckRelay], { limits: { defaultMs: 100 } });
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      const created = await run.req('POST', '/api/relaydomains', { ...t, body: { name: 'relay.test', targetHost: 'mx.relay.test' } });
      expect(created.status).toBe(201);
    } finally {
      await run.stop();
    }
  });

  it('one bad menu entry is dropped and reported against its extension; the menu serves the rest', async () => {
    const errors: unknown[] = [];
    const run = await start(join(tmp.dir, 'menu.sqlite'), [BadMenu, GoodMenu]);
    run.host.logger.error = ((obj: unknown) => void errors.push(obj)) as never;
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      const menu = await run.req('GET', '/api/menus/top_menu', t);
      expect(menu.status).toBe(200);
      expect(menu.body.entries).toContainEqual({ name: 'stats', label: 'Stats', url: '/stats' });
      expect(JSON.stringify(menu.body)).not.toContain('broken');
      expect(errors).toContainEqual(expect.objectContaining({ extension: 'bad-menu', hook: 'UserMenuDisplay' }));
    } finally {
      await run.stop();
    }
  });

  it('a veto check that fails refuses (fails closed) with a 403 naming the extension', async () => {
    const run = await start(join(tmp.dir, 'veto.sqlite'), [BrokenVeto]);
    try {
      const t = { token: await run.login('admin', ADMIN_PASSWORD) };
      const created = await run.req('POST', '/api/domains', { ...t, body: { name: 'closed.test' } });
      expect(created.status).toBe(403);
      expect(created.body.message).toMatch(/broken-veto.*quota service unreachable/);
      expect((await run.req('GET', '/api/domains', t)).body.entries).toEqual([]);
    } finally {
      await run.stop();
    }
  });

  it('every one of the 56 hooks has a time limit; display hooks isolate', () => {
    const bus: HookBus<never> = createHostBus() as never;
    expect(HOOK_NAMES).toHaveLength(56);
    for (const name of HOOK_NAMES) {
      const plan = bus.explain(name as never);
      expect({ name, timeoutMs: plan.timeoutMs }).toEqual({ name, timeoutMs: expect.any(Number) });
      expect({ name, policy: plan.policy }).toEqual({ name, policy: (DISPLAY_HOOKS as readonly string[]).includes(name) ? 'isolate' : expect.any(String) });
    }
  });
});
