import { defineHooks } from '../catalogue';
import { HookBus } from '../hook-bus';
import { collect, collectAsync, notify, notifyAsync } from '../hook-spec';
import type { CallRecord } from '../report';

const hooks = defineHooks({
  Booted: notify<[app: string]>({ historic: true }),
  Labels: collect<[app: string], string>({ historic: { maxCalls: 2 } }),
  Seen: notifyAsync<[id: number]>({ historic: { maxAgeMs: 60_000 } }),
  Menus: collectAsync<[id: number], string>({ historic: true }),
  Plain: notify<[n: number]>(),
});

function setup() {
  const errors: Error[] = [];
  const bus = new HookBus(hooks, { onError: (e) => errors.push(e) });
  const records: CallRecord[] = [];
  bus.intercept({ after: (r) => void records.push(r) });
  return { bus, errors, records };
}

describe('historic hooks (pluggy call_historic)', () => {
  afterEach(() => jest.useRealTimers());

  it('replays past calls, in order, to a listener registered later; then it sees calls live', () => {
    const { bus } = setup();
    bus.call('Booted', 'a');
    bus.call('Booted', 'b');
    const seen: string[] = [];
    bus.on('Booted', (app) => void seen.push(app), { extension: 'late' });
    expect(seen).toEqual(['a', 'b']);
    bus.call('Booted', 'c');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it("a replay's result goes to the interceptors as a replay record, not to any caller; a failing replay goes to onError", () => {
    const { bus, errors, records } = setup();
    expect(bus.call('Labels', 'one')).toEqual([]);
    bus.on('Labels', (app) => `label-${app}`, { extension: 'late' });
    expect(records.filter((r) => r.replay === true).map((r) => [r.args, r.result, r.report.listeners.map((l) => [l.extension, l.status])])).toEqual([[['one'], 'label-one', [['late', 'ok']]]]);
    expect(bus.call('Labels', 'two')).toEqual(['label-two']);
    bus.on('Labels', (app) => {
      if (app === 'two') throw new Error('bad two');
      return 'x';
    }, { extension: 'later' });
    expect(errors.map((e) => [(e as { code?: string }).code, (e as { extension?: string }).extension])).toEqual([['PB_LISTENER_FAILED', 'later']]);
    expect(bus.call('Labels', 'three')).toEqual(['label-three', 'x']);
  });

  it('keeps at most maxCalls calls, and drops calls older than maxAgeMs', async () => {
    const { bus } = setup();
    for (const app of ['1', '2', '3']) bus.call('Labels', app);
    const got: string[] = [];
    bus.on('Labels', (app) => void got.push(app), { extension: 'late' });
    expect(got).toEqual(['2', '3']);

    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    await bus.call('Seen', 1);
    jest.setSystemTime(new Date('2026-01-01T00:02:00Z'));
    await bus.call('Seen', 2);
    const ids: number[] = [];
    bus.on('Seen', async (id) => void ids.push(id), { extension: 'late' });
    jest.useRealTimers();
    await bus.whenReplayed();
    expect(ids).toEqual([2]);
  });

  it('an extension enabled again is replayed only the calls made while it was disabled', async () => {
    const { bus } = setup();
    const ids: number[] = [];
    bus.on('Menus', async (id) => { ids.push(id); return `m${id}`; }, { extension: 'ext' });
    await bus.call('Menus', 1);
    bus.disableExtension('ext');
    await bus.call('Menus', 2);
    await bus.call('Menus', 3);
    bus.enableExtension('ext');
    await bus.whenReplayed();
    expect(ids).toEqual([1, 2, 3]);
    await bus.call('Menus', 4);
    expect(ids).toEqual([1, 2, 3, 4]);
  });

  it('an extension installed disabled is replayed everything kept when it is first enabled', () => {
    const { bus } = setup();
    bus.call('Booted', 'early');
    bus.disableExtension('ext');
    const seen: string[] = [];
    bus.on('Booted', (app) => void seen.push(app), { extension: 'ext' });
    expect(seen).toEqual([]);
    bus.enableExtension('ext');
    expect(seen).toEqual(['early']);
  });

  it('a hook that is not historic replays nothing', () => {
    const { bus } = setup();
    bus.call('Plain', 1);
    const seen: number[] = [];
    bus.on('Plain', (n) => void seen.push(n), { extension: 'late' });
    expect(seen).toEqual([]);
  });

  it('refuses bad bounds when the bus is made', () => {
    expect(() => new HookBus(defineHooks({ H: notify<[]>({ historic: { maxCalls: 0 } }) }))).toThrow(/historic.maxCalls must be a positive integer; got 0/);
  });
});
