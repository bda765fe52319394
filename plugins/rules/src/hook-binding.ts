import { newEventId, type CallRecord, type EventContext, type EventUser, type HookBus, type HookName, type HookSpecs } from '@plugboard/core';
import type { RulesEngine } from './rules-engine';

/** The parts of an {@link EventContext} a host derives from a hook's arguments. */
export interface HookEventParts {
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly user?: EventUser;
  readonly loggedInUser?: EventUser;
  readonly request?: EventContext['request'];
  readonly realm?: string;
}

/** Options of {@link bindHookBus}. */
export interface HookBindingOptions {
  /** Maps a hook call's arguments to payload and users. Default: `{ payload: { args } }`. */
  readonly map?: (hook: string, args: readonly unknown[]) => HookEventParts;
  /** Which hooks become events (default: all). */
  readonly filter?: (hook: string) => boolean;
  /**
   * The id of the event a hook call raises, asked once per call (pre and post share it). Lets a
   * host give other consumers of the same call (e.g. published webhooks) the same id. Default: {@link newEventId}.
   */
  readonly eventId?: (hook: string, args: readonly unknown[]) => string;
}

interface CallState {
  readonly eventId: string;
  readonly parts: HookEventParts;
  aborted: boolean;
}

const defaultMap = (_hook: string, args: readonly unknown[]): HookEventParts => ({ payload: { args: [...args] } });

/**
 * Turns every hook call of `bus` into rule events named after the hook. `before` dispatches
 * `pre` rules: when one aborts (a {@link RuleAbortError} or a failed `abortOnError` rule) the hook
 * call rejects with that error and its listeners do not run. `after` dispatches `post` rules with
 * the call's result (`result.status` `success`/`failure`, `result.value`); the same `eventId`
 * is used for both. Post rules are not run for a call a pre rule aborted.
 *
 * A post rule cannot undo the call: an error from post dispatch (abortOnError, RuleAbortError)
 * goes to the bus's `onError` and the call's outcome stays as it was. Synchronous hooks cannot
 * wait for rules: they get `post` rules only, run in the background.
 *
 * @returns a function that removes the binding.
 * @example
 * ```ts
 * const unbind = bindHookBus(bus, engine, {
 *   map: (hook, [account]) => ({ payload: { account }, user: { username: (account as Account).email } }),
 * });
 * ```
 */
export function bindHookBus<T extends HookSpecs>(bus: HookBus<T>, engine: RulesEngine, options: HookBindingOptions = {}): () => void {
  const map = options.map ?? defaultMap;
  const filter = options.filter;
  const idFor = options.eventId ?? ((): string => newEventId());
  const asyncHooks = new Map<string, boolean>();
  // Interceptors hand the same args array to before and after, which ties a call's pre and post events together.
  const calls = new WeakMap<readonly unknown[], CallState>();

  const isAsync = (hook: string): boolean => {
    let known = asyncHooks.get(hook);
    if (known === undefined) {
      known = bus.explain(hook as HookName<T>).async;
      asyncHooks.set(hook, known);
    }
    return known;
  };

  const context = (hook: string, position: 'pre' | 'post', state: CallState, result?: EventContext['result']): EventContext => {
    const { parts } = state;
    return {
      eventId: state.eventId,
      event: hook,
      position,
      timestamp: new Date(),
      payload: parts.payload ?? {},
      ...(parts.user !== undefined ? { user: parts.user } : {}),
      ...(parts.loggedInUser !== undefined ? { loggedInUser: parts.loggedInUser } : {}),
      ...(parts.request !== undefined ? { request: parts.request } : {}),
      ...(parts.realm !== undefined ? { realm: parts.realm } : {}),
      ...(result !== undefined ? { result } : {}),
    };
  };

  return bus.intercept({
    before: (hook, args) => {
      if (filter !== undefined && !filter(hook)) return undefined;
      const state: CallState = { eventId: idFor(hook, args), parts: map(hook, args), aborted: false };
      calls.set(args, state);
      if (!isAsync(hook)) return undefined;
      return engine.dispatch(context(hook, 'pre', state)).then(
        () => undefined,
        (e: unknown) => {
          state.aborted = true;
          throw e;
        },
      );
    },
    after: (record: CallRecord) => {
      if (filter !== undefined && !filter(record.hook)) return undefined;
      const state = calls.get(record.args) ?? { eventId: idFor(record.hook, record.args), parts: map(record.hook, record.args), aborted: false };
      calls.delete(record.args);
      if (state.aborted) return undefined;
      const result: EventContext['result'] =
        'error' in record
          ? { status: 'failure', error: record.error instanceof Error ? record.error.message : String(record.error) }
          : { status: 'success', value: record.result };
      return engine.dispatch(context(record.hook, 'post', state, result)).then(() => undefined);
    },
  });
}
