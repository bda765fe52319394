import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { LiveLog, paramsLookup, type LoggedCall } from './live-log';

const hooks = defineHooks({
  UserLogin: notifyAsync<[username: string, password: string]>({ params: ['username', 'password'] }),
  Other: notifyAsync<[n: number]>({ params: ['n'] }),
});

describe('LiveLog', () => {
  test('keeps recent calls newest first, names arguments, masks secret ones and reports each listener', async () => {
    const bus = new HookBus(hooks, { onError: () => undefined });
    bus.on('UserLogin', async () => undefined, { extension: 'audit' });
    bus.on('UserLogin', async () => { throw new Error('boom'); }, { extension: 'broken' });
    const log = LiveLog.fromInterceptor(bus, { size: 2, paramsOf: paramsLookup((h) => bus.explain(h as 'Other')) });
    const seen: LoggedCall[] = [];
    const off = log.subscribe((c) => seen.push(c));
    await bus.call('Other', 1);
    await bus.call('UserLogin', 'ann', 's3cret');
    await bus.call('Other', 2);
    off();
    expect(log.recent().map((c) => c.hook)).toEqual(['Other', 'UserLogin']);
    expect(log.recent('UserLogin')).toHaveLength(1);
    const login = seen[1];
    expect(login.args).toBe('username="ann" password=***');
    expect(login.listeners.map((l) => [l.extension, l.status])).toEqual([['audit', 'ok'], ['broken', 'error']]);
    expect(login.listeners[1].error).toContain('boom');
    log.close();
    await bus.call('Other', 3);
    expect(log.recent()[0].args).toBe('n=2');
  });
});
