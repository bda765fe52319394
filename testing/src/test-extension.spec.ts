import { defineExtension, defineHooks, notify, notifyAsync } from '@plugboard/core';
import { testExtension } from './test-extension';

const hooks = defineHooks({ Tick: notify<[n: number]>(), Saved: notifyAsync<[id: string]>({ params: ['id'] }) });

describe('testExtension', () => {
  it('collects the errors the bus isolates, and keeps every report', async () => {
    const Failing = defineExtension(hooks, { name: 'failing', version: '1', hooks: { Saved() { throw new Error('disk full'); } } });
    const t = await testExtension(hooks, Failing);
    await t.call('Saved', 'a');
    expect(t.errors.map((e) => e.message)).toEqual([expect.stringContaining('disk full')]);
    await t.invoke('Saved', ['b']);
    expect(t.reports).toHaveLength(1);
    expect(t.reports[0].listeners[0]).toMatchObject({ extension: 'failing', status: 'error' });
  });

  it('installs disabled on request and exposes the instance', async () => {
    let ticks = 0;
    const Counter = defineExtension(hooks, { name: 'counter', version: '1', hooks: { Tick(n) { ticks += n; } } });
    const t = await testExtension(hooks, Counter, { enabled: false });
    expect(t.info().state).toBe('disabled');
    t.call('Tick', 1);
    expect(ticks).toBe(0);
    await t.enable();
    t.call('Tick', 2);
    expect(ticks).toBe(2);
    expect(typeof t.instance()).toBe('object');
  });
});
