import { compileDispatch, type CompiledCallbacks } from './compile';

type Fn = (...args: unknown[]) => unknown;

/** Compiles with each listener tagged by its index, so the callbacks report indexes. */
function compile(kind: 'notify' | 'collect', fns: Fn[], arity: number, cb: CompiledCallbacks<number>) {
  return compileDispatch(kind, fns, fns.map((_, i) => i), arity, cb);
}

function callbacks(): CompiledCallbacks<number> & { failures: [number, unknown][]; thenables: number[] } {
  const failures: [number, unknown][] = [];
  const thenables: number[] = [];
  return {
    failures,
    thenables,
    fail: (i, e) => void failures.push([i, e]),
    thenable: (i) => void thenables.push(i),
  };
}

describe('compileDispatch (tapable code generation)', () => {
  it('notify: calls every listener with the arguments; one failing listener does not stop the next', () => {
    const seen: unknown[] = [];
    const cb = callbacks();
    const boom = new Error('boom');
    const { call } = compile(
      'notify',
      [
        (a, b) => void seen.push(['first', a, b]),
        () => {
          throw boom;
        },
        (a) => void seen.push(['third', a]),
      ],
      2,
      cb,
    );
    expect(call(1, 2)).toBeUndefined();
    expect(seen).toEqual([
      ['first', 1, 2],
      ['third', 1],
    ]);
    expect(cb.failures).toEqual([[1, boom]]);
  });

  it('collect: flattens lists, skips undefined, keeps order', () => {
    const { call } = compile('collect', [() => 1, () => undefined, () => [2, 3], () => []], 0, callbacks());
    expect(call()).toEqual([1, 2, 3]);
  });

  it('reports a thenable returned to a synchronous hook', () => {
    const cb = callbacks();
    const p = Promise.resolve(1);
    const { call } = compile('notify', [() => p], 0, cb);
    call();
    expect(cb.thenables).toEqual([0]);
  });

  it('lets a failure callback rethrow (propagate policy)', () => {
    const cb: CompiledCallbacks = {
      fail: (_i, e) => {
        throw e;
      },
      thenable: () => undefined,
    };
    const { call } = compile('collect', [() => 1, () => {
      throw new Error('stop');
    }, () => 3], 0, cb);
    expect(() => call()).toThrow('stop');
  });
});
