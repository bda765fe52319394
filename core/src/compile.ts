/**
 * Code generation for hot synchronous hooks, built on tapable's
 * `HookCodeFactory`. Kept in one file so the rest of core never sees generated code.
 *
 * tapable's built-in hooks chain taps so that the first error skips the rest and
 * cannot collect results; our factory emits one independent try/catch per listener
 * (isolation) and, for `collect`, pushes results into one flat list.
 */

/* eslint-disable @typescript-eslint/no-require-imports -- tapable's Hook and HookCodeFactory are not exported from its index */
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
  _x?: readonly Fn[];
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
export interface CompiledCallbacks<Tag = unknown> {
  /** A listener threw: isolate (record) or rethrow, per the hook's policy. */
  fail(tag: Tag, error: unknown): void;
  /** A listener of a sync hook returned a thenable: refused per the policy (may throw), never collected. */
  thenable(tag: Tag, value: PromiseLike<unknown>): void;
}

const IS_THENABLE = (r: string): string => `${r} !== null && typeof ${r}.then === "function"`;
const THENABLE_CHECK = (r: string, i: number): string => `if (${r} !== undefined && ${IS_THENABLE(r)}) _pb.thenable(_e[${i}], ${r});\n`;

class NotifyCodeFactory extends TapableHookCodeFactory {
  content(): string {
    // Read once per call, like tapable's `_x`: a table swapped mid-call leaves this call as it started.
    let code = 'var _pb = this._pb;\nvar _e = this._e;\n';
    for (let i = 0; i < this.options.taps.length; i++) {
      code += this.callTap(i, {
        onError: (err) => `_pb.fail(_e[${i}], ${err});\n`,
        onResult: (result) => THENABLE_CHECK(result, i),
        rethrowIfPossible: false,
      });
    }
    return code;
  }
}

class CollectCodeFactory extends TapableHookCodeFactory {
  content(): string {
    let code = 'var _pb = this._pb;\nvar _e = this._e;\nvar _results = [];\n';
    for (let i = 0; i < this.options.taps.length; i++) {
      code += this.callTap(i, {
        onError: (err) => `_pb.fail(_e[${i}], ${err});\n`,
        onResult: (r) =>
          `if (${r} !== undefined) {\n` +
          `if (Array.isArray(${r})) { for (var _k = 0; _k < ${r}.length; _k++) _results.push(${r}[_k]); }\n` +
          `else if (${IS_THENABLE(r)}) _pb.thenable(_e[${i}], ${r});\n` +
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
 * Generated code depends only on the kind, the number of listeners and the arity (it reads the
 * listeners from `this._x`), so it is made once per shape and bound to each hook's listeners:
 * a hook that changes to a shape seen before gets compiled code at once, without `new Function`.
 */
const generated = new Map<string, Fn>();

function shapeKey(kind: 'notify' | 'collect', count: number, arity: number): string {
  return `${kind}/${count}/${arity}`;
}

/** Whether a dispatcher of this shape was generated already (binding it costs a closure, not a compile). */
export function isCompiledShape(kind: 'notify' | 'collect', count: number, arity: number): boolean {
  return generated.has(shapeKey(kind, count, arity));
}

function generate(kind: 'notify' | 'collect', count: number, arity: number): Fn {
  const key = shapeKey(kind, count, arity);
  let code = generated.get(key);
  if (code === undefined) {
    const factory = kind === 'notify' ? notifyFactory : collectFactory;
    const noop: Fn = () => undefined;
    const options: CompileOptions = { taps: Array.from({ length: count }, (_, i) => ({ type: 'sync', name: `listener${i}`, fn: noop })), interceptors: [], args: ARG_NAMES.slice(0, arity), type: 'sync' };
    factory.setup({} as TapableHookInstance, options);
    code = factory.create(options);
    generated.set(key, code);
  }
  return code;
}

/**
 * What generated code reads at the start of each call: the listeners, a tag per listener (what
 * the callbacks are told about a failure) and the callbacks. Swapping `_x` and `_e` for another
 * set of listeners of the same count keeps the dispatcher valid; a call already running keeps
 * what it read.
 */
export interface DispatchTable<Tag> {
  _x: readonly Fn[];
  _e: readonly Tag[];
  readonly _pb: CompiledCallbacks<Tag>;
}

/** A compiled dispatcher and the table it reads. */
export interface Compiled<Tag> {
  readonly call: CompiledDispatch;
  readonly table: DispatchTable<Tag>;
  readonly count: number;
  readonly arity: number;
}

/**
 * A dispatcher for `fns` (in dispatch order, `tags[i]` naming `fns[i]` to the callbacks) taking
 * exactly `arity` arguments. `kind` selects notify (returns undefined) or collect (returns the
 * flat result list).
 */
export function compileDispatch<Tag>(kind: 'notify' | 'collect', fns: readonly Fn[], tags: readonly Tag[], arity: number, callbacks: CompiledCallbacks<Tag>): Compiled<Tag> {
  const table: DispatchTable<Tag> = { _x: fns, _e: tags, _pb: callbacks };
  return { call: generate(kind, fns.length, arity).bind(table) as CompiledDispatch, table, count: fns.length, arity };
}
