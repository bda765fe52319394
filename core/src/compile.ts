/**
 * Code generation for hot synchronous hooks, built on tapable's `Hook` and
 * `HookCodeFactory`. Kept in one file so the rest of core never sees generated code.
 *
 * tapable's built-in hooks chain taps so that the first error skips the rest and
 * cannot collect results; our factory emits one independent try/catch per listener
 * (isolation) and, for `collect`, pushes results into one flat list.
 */

/* eslint-disable @typescript-eslint/no-require-imports -- tapable's Hook and HookCodeFactory are not exported from its index */
const TapableHook = require('tapable/lib/Hook') as new (args: string[], name?: string) => TapableHookInstance;
const TapableHookCodeFactory = require('tapable/lib/HookCodeFactory') as new () => TapableFactory;
/* eslint-enable @typescript-eslint/no-require-imports */

type Fn = (...args: unknown[]) => unknown;

interface TapableTap {
  readonly type: 'sync';
  readonly name: string;
  readonly fn: Fn;
}

interface CompileOptions {
  readonly taps: readonly TapableTap[];
  readonly interceptors: readonly unknown[];
  readonly args: readonly string[];
  readonly type: 'sync';
}

interface TapableHookInstance {
  taps: TapableTap[];
  compile: (options: CompileOptions) => Fn;
  _createCall(type: 'sync'): Fn;
  _pb?: CompiledCallbacks;
}

interface CallTapOptions {
  onError: (err: string) => string;
  onResult?: (result: string) => string;
  onDone?: () => string;
  rethrowIfPossible: boolean;
}

interface TapableFactory {
  options: CompileOptions;
  setup(instance: TapableHookInstance, options: CompileOptions): void;
  create(options: CompileOptions): Fn;
  callTap(index: number, options: CallTapOptions): string;
}

/** What the generated code calls back into when a listener throws or returns a promise. */
export interface CompiledCallbacks {
  /** A listener threw: isolate (record) or rethrow, per the hook's policy. */
  fail(index: number, error: unknown): void;
  /** A listener of a sync hook returned a thenable: refused per the policy (may throw), never collected. */
  thenable(index: number, value: PromiseLike<unknown>): void;
}

const IS_THENABLE = (r: string): string => `${r} !== null && typeof ${r}.then === "function"`;
const THENABLE_CHECK = (r: string, i: number): string => `if (${r} !== undefined && ${IS_THENABLE(r)}) this._pb.thenable(${i}, ${r});\n`;

class NotifyCodeFactory extends TapableHookCodeFactory {
  content(): string {
    let code = '';
    for (let i = 0; i < this.options.taps.length; i++) {
      code += this.callTap(i, {
        onError: (err) => `this._pb.fail(${i}, ${err});\n`,
        onResult: (result) => THENABLE_CHECK(result, i),
        rethrowIfPossible: false,
      });
    }
    return code;
  }
}

class CollectCodeFactory extends TapableHookCodeFactory {
  content(): string {
    let code = 'var _results = [];\n';
    for (let i = 0; i < this.options.taps.length; i++) {
      code += this.callTap(i, {
        onError: (err) => `this._pb.fail(${i}, ${err});\n`,
        onResult: (r) =>
          `if (${r} !== undefined) {\n` +
          `if (Array.isArray(${r})) { for (var _k = 0; _k < ${r}.length; _k++) _results.push(${r}[_k]); }\n` +
          `else if (${IS_THENABLE(r)}) this._pb.thenable(${i}, ${r});\n` +
          `else _results.push(${r});\n}\n`,
        rethrowIfPossible: false,
      });
    }
    return code + 'return _results;\n';
  }
}

const notifyFactory = new NotifyCodeFactory();
const collectFactory = new CollectCodeFactory();

const ARG_NAMES = Array.from({ length: 16 }, (_, i) => `a${i}`);

/** The most arguments a compiled call takes; calls with more use the generic loop. */
export const MAX_COMPILED_ARITY = ARG_NAMES.length;

/** A compiled dispatcher: call it with the hook's arguments spread. */
export type CompiledDispatch = (...args: unknown[]) => unknown;

/**
 * Compiles a dispatcher for `fns` (in dispatch order) taking exactly `arity` arguments.
 * `kind` selects notify (returns undefined) or collect (returns the flat result list).
 */
export function compileDispatch(
  kind: 'notify' | 'collect',
  hookName: string,
  fns: readonly Fn[],
  arity: number,
  callbacks: CompiledCallbacks,
): CompiledDispatch {
  const args = ARG_NAMES.slice(0, arity);
  const hook = new TapableHook(args, hookName);
  const factory = kind === 'notify' ? notifyFactory : collectFactory;
  hook.compile = function compile(this: TapableHookInstance, options: CompileOptions): Fn {
    factory.setup(this, options);
    return factory.create(options);
  };
  hook.taps = fns.map((fn, i) => ({ type: 'sync', name: `listener${i}`, fn }));
  hook._pb = callbacks;
  const call = hook._createCall('sync');
  return call.bind(hook) as CompiledDispatch;
}
