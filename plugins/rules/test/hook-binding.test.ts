import { collectAsync, defineHooks, HookBus, notify, notifyAsync, type SpecsOfCatalogue } from '@plugboard/core';
import { bindHookBus, RuleAbortError, RuleActionError, type DispatchSummary } from '@plugboard/rules';
import { setup } from './helpers';

interface Account {
  email: string;
  quota: number;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account]>(),
  UserMenuDisplay: collectAsync<[target: string], string>(),
  Tick: notify<[n: number]>(),
});

describe('bindHookBus', () => {
  let env: ReturnType<typeof setup>;
  let bus: HookBus<SpecsOfCatalogue<typeof hooks>>;
  const isolated: unknown[] = [];

  beforeEach(() => {
    env = setup();
    isolated.length = 0;
    bus = new HookBus(hooks, { onError: (e) => isolated.push(e) });
  });
  afterEach(() => env.close());

  const add = (over: Record<string, unknown>) =>
    env.store.create({ name: String(over.name), events: ['AccountCreated'], handlerModule: 'Recorder', action: 'record', options: { tag: String(over.name) }, ...over });

  it('turns a hook call into a pre and a post event sharing one eventId, with the result for post rules', async () => {
    await add({ name: 'pre', position: 'pre' });
    await add({ name: 'post', position: 'post', events: ['UserMenuDisplay'], conditions: { result_value: 'contains entry-from-ext' } });
    await add({ name: 'post-account', position: 'post' });
    bindHookBus(bus, env.engine);
    bus.on('UserMenuDisplay', async (target) => `entry-from-ext:${target}`, { extension: 'menu' });
    bus.on('UserMenuDisplay', async () => 'entry-from-ext', { extension: 'menu2' });
    const seen: string[] = [];
    bus.on('AccountCreated', async (account) => void seen.push(account.email), { extension: 'listener' });

    await bus.call('AccountCreated', { email: 'bob@example.org', quota: 10 });
    expect(seen).toEqual(['bob@example.org']);
    const [pre, post] = env.recorder.calls;
    expect([pre.position, post.position]).toEqual(['pre', 'post']);
    expect(pre.eventId).toBe(post.eventId);
    expect(pre.ctx.payload).toEqual({ args: [{ email: 'bob@example.org', quota: 10 }] });
    expect(post.ctx.result).toEqual({ status: 'success', value: undefined });

    expect(await bus.call('UserMenuDisplay', 'top')).toEqual(['entry-from-ext:top', 'entry-from-ext']);
    expect(env.recorder.calls[2].ctx.result).toEqual({ status: 'success', value: ['entry-from-ext:top', 'entry-from-ext'] });
  });

  it('gives each call a UUIDv7 by default, or the id the host hands out for that call', async () => {
    await add({ name: 'pre', position: 'pre' });
    await add({ name: 'post', position: 'post' });
    const unbind = bindHookBus(bus, env.engine);
    await bus.call('AccountCreated', { email: 'a@example.org', quota: 1 });
    await bus.call('AccountCreated', { email: 'a@example.org', quota: 1 });
    const ids = env.recorder.calls.map((c) => c.eventId);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([ids[0] === ids[1], ids[1] === ids[2]]).toEqual([true, false]);
    unbind();

    const asked: string[] = [];
    const eventId = (hook: string): string => {
      asked.push(hook);
      return `host-${asked.length}`;
    };
    bindHookBus(bus, env.engine, { eventId });
    await bus.call('AccountCreated', { email: 'b@example.org', quota: 1 });
    expect(env.recorder.calls.slice(4).map((c) => c.eventId)).toEqual(['host-1', 'host-1']);
    expect(asked).toEqual(['AccountCreated']);
  });

  it('uses the host mapping from hook arguments to payload and users', async () => {
    await add({ name: 'big-quota', conditions: { payload_compare: 'account.quota > 100', realm: 'example.org' } });
    bindHookBus(bus, env.engine, {
      map: (hook, args) => {
        const account = args[0] as Account;
        return { payload: { account }, user: { username: account.email, realm: account.email.split('@')[1] }, loggedInUser: { username: 'admin', role: 'admin' } };
      },
    });
    await bus.call('AccountCreated', { email: 'small@example.org', quota: 5 });
    await bus.call('AccountCreated', { email: 'big@example.org', quota: 500 });
    expect(env.recorder.calls.map((c) => c.ctx.user?.username)).toEqual(['big@example.org']);
    expect(env.recorder.calls[0].ctx.loggedInUser?.role).toBe('admin');
  });

  it('lets a pre rule abort the hook call: listeners do not run, the call rejects, post rules are skipped', async () => {
    await env.store.create({ name: 'deny', events: ['AccountCreated'], position: 'pre', handlerModule: 'Recorder', action: 'abort', options: { reason: 'quota too large' }, conditions: { payload_compare: 'args.0.quota > 100' } });
    await add({ name: 'post' });
    bindHookBus(bus, env.engine);
    const seen: string[] = [];
    bus.on('AccountCreated', async (account) => void seen.push(account.email), { extension: 'listener' });
    const err = await bus.call('AccountCreated', { email: 'big@example.org', quota: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleAbortError);
    expect((err as RuleAbortError).rule?.name).toBe('deny');
    expect(seen).toEqual([]);
    expect(env.recorder.calls.map((c) => c.action)).toEqual(['abort']);
    await bus.call('AccountCreated', { email: 'ok@example.org', quota: 5 });
    expect(seen).toEqual(['ok@example.org']);
    expect(env.recorder.calls.map((c) => c.action)).toEqual(['abort', 'record']);
  });

  it('aborts through a pre rule with abortOnError whose action failed', async () => {
    await env.store.create({ name: 'strict', events: ['AccountCreated'], position: 'pre', handlerModule: 'Recorder', action: 'fail', options: { message: 'LDAP down' }, abortOnError: true });
    bindHookBus(bus, env.engine);
    await expect(bus.call('AccountCreated', { email: 'a@b.c', quota: 1 })).rejects.toBeInstanceOf(RuleActionError);
  });

  it('gives post rules the failure when the hook call failed', async () => {
    await add({ name: 'on-failure', events: ['UserMenuDisplay'], conditions: { result_status: 'failure' } });
    bindHookBus(bus, env.engine);
    bus.on('UserMenuDisplay', async () => {
      throw new Error('menu broken');
    }, { extension: 'bad' });
    await expect(bus.call('UserMenuDisplay', 'top')).rejects.toThrow(/menu broken/);
    expect(env.recorder.calls).toHaveLength(1);
    expect(env.recorder.calls[0].ctx.result).toMatchObject({ status: 'failure', error: expect.stringMatching(/menu broken/) });
  });

  it('reports a failing abortOnError post rule to the bus onError without changing the call outcome', async () => {
    await env.store.create({ name: 'post-strict', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'fail', options: { message: 'webhook down' }, abortOnError: true });
    bindHookBus(bus, env.engine);
    await expect(bus.call('AccountCreated', { email: 'a@b.c', quota: 1 })).resolves.toBeUndefined();
    expect(isolated).toEqual([expect.any(RuleActionError)]);
    expect((await env.store.eventLog.count({ status: 'failed' }))).toBe(1);
  });

  it('filters hooks and can be removed', async () => {
    await add({ name: 'any', events: ['*'] });
    const unbind = bindHookBus(bus, env.engine, { filter: (hook) => hook !== 'UserMenuDisplay' });
    await bus.call('UserMenuDisplay', 'top');
    expect(env.recorder.calls).toHaveLength(0);
    await bus.call('AccountCreated', { email: 'a@b.c', quota: 1 });
    expect(env.recorder.calls).toHaveLength(1);
    unbind();
    await bus.call('AccountCreated', { email: 'a@b.c', quota: 1 });
    expect(env.recorder.calls).toHaveLength(1);
  });

  it('runs only post rules, in the background, for synchronous hooks', async () => {
    await env.store.create({ name: 'tick-pre', events: ['Tick'], position: 'pre', handlerModule: 'Recorder', action: 'record', options: { tag: 'pre' } });
    await env.store.create({ name: 'tick-post', events: ['Tick'], position: 'post', handlerModule: 'Recorder', action: 'record', options: { tag: 'post' } });
    const done = new Promise<DispatchSummary>((resolve) => {
      const dispatch = env.engine.dispatch.bind(env.engine);
      env.engine.dispatch = async (ctx) => {
        const summary = await dispatch(ctx);
        resolve(summary);
        return summary;
      };
    });
    bindHookBus(bus, env.engine);
    const seen: number[] = [];
    bus.on('Tick', (n) => void seen.push(n), { extension: 'ticker' });
    expect(bus.call('Tick', 7)).toBeUndefined();
    expect(seen).toEqual([7]);
    const summary = await done;
    expect(summary).toMatchObject({ event: 'Tick', position: 'post' });
    expect(env.recorder.tags()).toEqual(['post']);
    expect(isolated).toEqual([]);
  });
});
