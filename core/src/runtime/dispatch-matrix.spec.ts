/**
 * One table for every way a call can go: kind × sync/async × policy × entry point (a cold
 * `call`, a hot `call` that runs compiled code, `invoke` with a report). Each case has a
 * listener that succeeds, one that fails (throws, or returns a promise to a sync hook) and
 * another that succeeds; the policy alone decides the outcome, the same on every path.
 */
import { defineHooks } from '../catalogue';
import { ListenerError, ListenersFailedError } from '../errors';
import { HookBus } from '../hook-bus';
import { collect, collectAsync, merge, mergeAsync, notify, notifyAsync, type ErrorPolicy } from '../hook-spec';

type Kind = 'notify' | 'collect' | 'merge';
type Failure = 'throws' | 'returns a promise';
type Path = 'call (cold)' | 'call (hot)' | 'invoke';

function makeHooks(policy: ErrorPolicy) {
  return defineHooks({
    notify: notify<[n: number]>({ policy }),
    collect: collect<[n: number], string>({ policy }),
    merge: merge<[n: number], Record<string, number>>({ policy }),
    notifyAsync: notifyAsync<[n: number]>({ policy }),
    collectAsync: collectAsync<[n: number], string>({ policy }),
    mergeAsync: mergeAsync<[n: number], Record<string, number>>({ policy }),
  });
}

const value = (kind: Kind, key: string): unknown => (kind === 'collect' ? key : kind === 'merge' ? { [key]: 1 } : undefined);
const expected = (kind: Kind, keys: string[]): unknown =>
  kind === 'collect' ? keys : kind === 'merge' ? Object.fromEntries(keys.map((k) => [k, 1])) : undefined;

interface Case {
  kind: Kind;
  async: boolean;
  policy: ErrorPolicy;
  failure: Failure;
  path: Path;
}

const cases: Case[] = [];
for (const kind of ['notify', 'collect', 'merge'] as const)
  for (const async of [false, true])
    for (const policy of ['propagate', 'isolate', 'aggregate'] as const)
      for (const failure of async ? (['throws'] as const) : (['throws', 'returns a promise'] as const))
        for (const path of ['call (cold)', 'call (hot)', 'invoke'] as const) cases.push({ kind, async, policy, failure, path });

describe('one dispatch flow: the policy alone decides the outcome', () => {
  it.each(cases)('$kind async=$async $policy, a listener that $failure, through $path', async ({ kind, async, policy, failure, path }) => {
    const errors: Error[] = [];
    const bus = new HookBus(makeHooks(policy), { onError: (e) => errors.push(e) });
    const name = (async ? `${kind}Async` : kind) as 'collect';
    const ran: string[] = [];
    const listener = (key: string, fails: boolean) => () => {
      ran.push(key);
      if (!fails) return async ? Promise.resolve(value(kind, key)) : value(kind, key);
      if (failure === 'returns a promise') return Promise.resolve(value(kind, key));
      throw new Error(`${key} broke`);
    };
    bus.on(name, listener('a', false) as never, { extension: 'first' });
    bus.on(name, listener('b', true) as never, { extension: 'bad' });
    bus.on(name, listener('c', false) as never, { extension: 'last' });

    const once = (): unknown => (path === 'invoke' ? bus.invoke(name, [1]) : bus.call(name, 1));
    if (path === 'call (hot)') {
      for (let i = 0; i < 20; i++) await Promise.resolve().then(once).catch(() => undefined);
      ran.length = 0;
      errors.length = 0;
      // Plain sync hooks now run generated code; merge and aggregate always take the full path.
      expect(bus.explain(name).compiled).toBe(!async && kind !== 'merge' && policy !== 'aggregate');
    }
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await once() };
    } catch (error) {
      outcome = { ok: false, error };
    }

    const result = path === 'invoke' && outcome.ok ? (outcome.value as { result: unknown }).result : outcome.ok ? outcome.value : undefined;
    if (policy === 'isolate') {
      expect(outcome.ok).toBe(true);
      expect(result).toEqual(expected(kind, ['a', 'c']));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'bad', hook: name });
      expect(ran).toEqual(['a', 'b', 'c']);
    } else if (policy === 'propagate') {
      expect(outcome.ok).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(ListenerError);
      expect(error).toMatchObject({ code: 'PB_LISTENER_FAILED', extension: 'bad', hook: name });
      // Sync listeners after the failure never run; async ones had all started.
      expect(ran).toEqual(async ? ['a', 'b', 'c'] : ['a', 'b']);
      expect(errors).toEqual([]);
    } else {
      expect(outcome.ok).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(ListenersFailedError);
      expect((error as ListenersFailedError).errors.map((e: ListenerError) => e.extension)).toEqual(['bad']);
      expect(ran).toEqual(['a', 'b', 'c']);
      expect(errors).toEqual([]);
    }
    if (path === 'invoke' && outcome.ok) {
      const { report } = outcome.value as { report: { listeners: { extension: string; status: string; value?: unknown }[] } };
      expect(report.listeners.map((l) => [l.extension, l.status])).toEqual([
        ['first', 'ok'],
        ['bad', 'error'],
        ['last', 'ok'],
      ]);
      if (kind !== 'notify') expect(report.listeners[2].value).toEqual(value(kind, 'c'));
    }
  });
});
