import type { ArgsOf, HookBus, HookCatalogue, HookName, HookSpecs, Listener, Unregister } from '@plugboard/core';
import { HandlerFailedError, ScriptsError } from './errors';
import { assertSafeEventName, toEventDirectoryName } from './event-name';
import type { StepScriptRunner } from './step-script-runner';

/** How one hook maps to a handler. */
export interface HookScriptBinding<A extends readonly unknown[]> {
  /** Maps the hook's arguments to the payload written as JSON to each step's stdin. */
  readonly payload: (...args: A) => unknown;
  /** Handler name under `events/`. Default: the hook name in kebab-case (`AccountCreated` → `account-created`). */
  readonly event?: string;
  /** `AGENT_EVENT_SOURCE` for this hook. Default: the binding's `source`, else the runner's. */
  readonly source?: string;
}

/** Bindings keyed by hook name; the payload mapper is typed from the catalogue. */
export type HookScriptBindings<T extends HookSpecs> = { readonly [K in HookName<T>]?: HookScriptBinding<ArgsOf<T[K]>> };

/** What {@link bindStepScripts} needs. */
export interface BindStepScriptsOptions<T extends HookSpecs> {
  readonly bus: HookBus<T>;
  /** The catalogue the bus was built from (it tells sync hooks from async ones). */
  readonly hooks: HookCatalogue<T>;
  readonly runner: StepScriptRunner;
  readonly bindings: HookScriptBindings<T>;
  /** Extension the listeners are registered for. Default `scripts`. */
  readonly extension?: string;
  /** Listener priority on every bound hook (higher runs earlier). Default 0. */
  readonly priority?: number;
  /**
   * `await` (default): a listener of an async hook waits for the handler, and a handler that
   * aborts or times out makes it throw {@link HandlerFailedError}, so the bus reports it under the
   * hook's error policy. `background`: the listener returns at once. Listeners of sync hooks
   * always run in the background.
   */
  readonly mode?: 'await' | 'background';
  /** `AGENT_EVENT_SOURCE` for every bound hook. Default: the runner's. */
  readonly source?: string;
  /** Base directories for these hooks instead of the runner's. */
  readonly directories?: readonly string[];
  /**
   * Receives failures of handlers run in the background (aborted or timed-out handlers,
   * payloads that cannot be serialized). Default: logged on the runner's logger.
   */
  readonly onError?: (error: ScriptsError, hook: string) => void;
}

function asScriptsError(err: unknown, hook: string): ScriptsError {
  if (err instanceof ScriptsError) return err;
  return new ScriptsError('PB_SCRIPTS_INVALID_PAYLOAD', `The payload mapper of hook "${hook}" threw; fix the mapper.`, { hook, cause: err });
}

/**
 * Runs step-script handlers for chosen hooks: every call of a bound hook runs
 * `events/<event>/` with the mapped payload. Returns one undo that removes every listener it added.
 *
 * The bus's per-listener time limit (`ctx.signal`) does not cancel a handler: an event that
 * reached the runner is always handled (use the runner's `stepTimeoutMs` to bound it).
 *
 * @example
 * ```ts
 * const off = bindStepScripts({
 *   bus, hooks, runner,
 *   bindings: { AccountCreated: { payload: (account) => ({ username: account.username }) } },
 * });
 * await bus.call('AccountCreated', account); // runs <dir>/events/account-created/*
 * off();
 * ```
 */
export function bindStepScripts<T extends HookSpecs>(options: BindStepScriptsOptions<T>): Unregister {
  const { bus, hooks, runner, bindings } = options;
  const extension = options.extension ?? 'scripts';
  const mode = options.mode ?? 'await';
  const onError =
    options.onError ??
    ((error: ScriptsError, hook: string) => runner.logger.error({ hook, code: error.code, extension }, error.message));
  const undo: Unregister[] = [];
  const unbindAll: Unregister = () => {
    for (const off of undo.splice(0)) off();
  };

  try {
    for (const name of Object.keys(bindings) as HookName<T>[]) {
      const binding = bindings[name];
      if (binding === undefined) continue;
      const ref = hooks[name];
      if (ref === undefined) {
        throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Hook "${name}" is not in the catalogue; bind only hooks the catalogue declares.`, { hook: name });
      }
      if (typeof binding.payload !== 'function') {
        throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `The binding of hook "${name}" needs a payload mapper function.`, { hook: name });
      }
      const event = binding.event ?? toEventDirectoryName(name);
      // Refused names fail here, once, rather than on every call of the hook.
      assertSafeEventName(event);
      const isAsync = ref.spec.async === true;
      const runOptions = { source: binding.source ?? options.source, directories: options.directories };

      const handle = async (args: unknown[]): Promise<void> => {
        let payload: unknown;
        try {
          payload = (binding.payload as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          throw asScriptsError(err, name);
        }
        const result = await runner.run(event, payload, runOptions);
        if (result.status === 'aborted' || result.status === 'timeout') throw new HandlerFailedError(result, { hook: name, extension });
      };

      const listener = (...raw: unknown[]): Promise<void> | void => {
        // Async hooks pass a ListenerContext after the hook's own arguments.
        const args = isAsync ? raw.slice(0, -1) : raw;
        if (isAsync && mode === 'await') return handle(args);
        handle(args).catch((err: unknown) => {
          try {
            onError(asScriptsError(err, name), name);
          } catch {
            // An error sink that throws must not become an unhandled rejection.
          }
        });
        return undefined;
      };

      undo.push(bus.on(name, listener as unknown as Listener<T[typeof name]>, { extension, priority: options.priority }));
    }
  } catch (err) {
    unbindAll();
    throw err;
  }
  return unbindAll;
}
