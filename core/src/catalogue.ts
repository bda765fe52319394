import { InvalidDefinitionError } from './errors';
import type { AnyHookSpec, HookSpec } from './hook-spec';

/** The specs record a catalogue was defined from: hook name → {@link HookSpec}. */
export type HookSpecs = Record<string, AnyHookSpec>;

/** A typed reference to one hook of a catalogue, used by `@observe(hooks.X)`. */
export interface HookRef<N extends string = string, S extends AnyHookSpec = AnyHookSpec> {
  readonly name: N;
  readonly spec: S;
}

/**
 * The result of {@link defineHooks}: one {@link HookRef} per hook name. A `HookBus`
 * infers the specs record back from it (a homomorphic mapped type).
 */
export type HookCatalogue<T extends HookSpecs> = { readonly [K in keyof T]: HookRef<K & string, T[K]> };

/** Hook names of a specs record. */
export type HookName<T extends HookSpecs> = keyof T & string;

/** Argument tuple of a spec. */
export type ArgsOf<S> = S extends HookSpec<infer _K, infer A, infer _R, infer _Async> ? A : never;
/** Result element type of a spec. */
export type ResultOf<S> = S extends HookSpec<infer _K, infer _A, infer R, infer _Async> ? R : never;

/** Passed as the last argument to listeners of async hooks. */
export interface ListenerContext {
  readonly hook: string;
  readonly extension: string;
  /** Aborted when the listener's time limit is reached or the caller aborts. */
  readonly signal: AbortSignal;
}

/**
 * What one listener may return. For `collect` a single value or a list; a listener
 * returning an array is always read as a list, so when the element type is itself an
 * array (a tuple) the listener must return a list of them.
 */
export type ListenerReturn<S extends AnyHookSpec> = S['kind'] extends 'notify'
  ? void
  : S['kind'] extends 'collect'
    ? ResultOf<S> extends readonly unknown[]
      ? readonly ResultOf<S>[] | undefined | void
      : ResultOf<S> | readonly ResultOf<S>[] | undefined | void
    : Partial<ResultOf<S>> | undefined | void;

/** The signature a listener of spec `S` must have. */
export type Listener<S extends AnyHookSpec> = S['async'] extends true
  ? (...args: [...ArgsOf<S>, ListenerContext]) => ListenerReturn<S> | Promise<ListenerReturn<S>>
  : (...args: ArgsOf<S>) => ListenerReturn<S>;

/** What a call of spec `S` resolves to, before the sync/async wrapping. */
export type CallValue<S extends AnyHookSpec> = S['kind'] extends 'notify'
  ? void
  : S['kind'] extends 'collect'
    ? ResultOf<S>[]
    : ResultOf<S>;

/** What a call of spec `S` returns: the value, or a promise of it for async hooks. */
export type CallResult<S extends AnyHookSpec> = S['async'] extends true ? Promise<CallValue<S>> : CallValue<S>;

/**
 * Declares the hook catalogue once: names, argument tuples, result types, kinds and
 * optional zod schemas. Everything else (listener signatures, call arguments and call
 * results) is inferred from it.
 *
 * @example
 * ```ts
 * const hooks = defineHooks({
 *   AccountCreated: notifyAsync<[account: Account]>(),
 *   UserMenuDisplay: collectAsync<[target: string, user: User], MenuEntry>(),
 *   PasswordChange: collectAsync<[user: User], boolean>(),
 * });
 * const bus = new HookBus(hooks);
 * ```
 */
export function defineHooks<const T extends HookSpecs>(specs: T): HookCatalogue<T> {
  const catalogue: Record<string, HookRef> = {};
  for (const name of Object.keys(specs)) {
    if (!/^[A-Za-z][\w.:-]*$/.test(name)) {
      throw new InvalidDefinitionError(`Hook name "${name}" is invalid: use letters, digits, '.', ':', '-' or '_' and start with a letter.`, { hook: name });
    }
    catalogue[name] = Object.freeze({ name, spec: specs[name] });
  }
  return Object.freeze(catalogue) as HookCatalogue<T>;
}

/** The specs record of a catalogue. */
export type SpecsOfCatalogue<C> = C extends HookCatalogue<infer T> ? T : never;
