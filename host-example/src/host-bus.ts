import { AsyncLocalStorage } from 'node:async_hooks';
import { HookBus, type ArgsOf, type HookBusOptions, type HookName, type Listener, type ListenerContext, type ListenerOptions, type Unregister } from '@plugboard/core';
import { HostError } from './errors';
import { hostHooks, VETO_HOOKS, type HostHookName, type HostSpecs } from './hooks';

/** What the listeners of one veto decision said, per extension. */
interface Decision {
  readonly values: Map<string, unknown[]>;
  readonly reasons: Map<string, string>;
}

const decisions = new AsyncLocalStorage<Decision>();

type Fn = (...args: unknown[]) => unknown;

/**
 * Gives the reason of a veto from inside a veto listener (`PasswordChange`, `CanCreate`,
 * `UserCanSetRole`, `CheckExtraAccountForm`); the API's 403 carries it.
 *
 * @example
 * ```ts
 * @observe(hostHooks.PasswordChange)
 * async deny(user: User, ctx: ListenerContext) { vetoReason(ctx, 'passwords are managed elsewhere'); return true; }
 * ```
 */
export function vetoReason(ctx: ListenerContext, reason: string): void {
  decisions.getStore()?.reasons.set(ctx.extension, reason);
}

export type VetoHook = keyof typeof VETO_HOOKS & HostHookName;

/** The refusal of a veto hook: which extension refused and why. */
export interface Refusal {
  readonly extension: string;
  readonly reason?: string;
}

/**
 * The host's {@link HookBus}: the full catalogue plus veto attribution. Listeners of veto
 * hooks are wrapped so each decision knows which extension returned the refusing value
 * (the report alone says who ran, not what each returned).
 *
 * @example
 * ```ts
 * const bus = new HostBus({ onError: (e) => log.error(e) });
 * await bus.refuse('CanCreate', [user], 'create a domain'); // throws HostError 403 naming the extension
 * ```
 */
export class HostBus extends HookBus<HostSpecs> {
  private readonly wrappers = new Map<string, WeakMap<Fn, Fn>>();

  constructor(options: HookBusOptions = {}) {
    super(hostHooks, options);
  }

  override on<K extends HookName<HostSpecs>>(name: K, listener: Listener<HostSpecs[K]>, options: ListenerOptions): Unregister {
    if (!(name in VETO_HOOKS) || typeof listener !== 'function') return super.on(name, listener, options);
    const fn = listener as unknown as Fn;
    const extension = options.extension;
    const wrapper: Fn = async (...args) => {
      const value = await fn(...args);
      const decision = decisions.getStore();
      if (decision !== undefined && value !== undefined) {
        const seen = decision.values.get(extension) ?? [];
        seen.push(...(Array.isArray(value) ? value : [value]));
        decision.values.set(extension, seen);
      }
      return value;
    };
    Object.defineProperty(wrapper, 'name', { value: fn.name || 'anonymous' });
    let byFn = this.wrappers.get(name);
    if (byFn === undefined) this.wrappers.set(name, (byFn = new WeakMap()));
    byFn.set(fn, wrapper);
    return super.on(name, wrapper as unknown as Listener<HostSpecs[K]>, options);
  }

  override off<K extends HookName<HostSpecs>>(name: K, listener: Listener<HostSpecs[K]>): number {
    const wrapper = this.wrappers.get(name)?.get(listener as unknown as Fn);
    return super.off(name, (wrapper ?? listener) as Listener<HostSpecs[K]>);
  }

  override isRegistered<K extends HookName<HostSpecs>>(name: K, listener: Listener<HostSpecs[K]>): boolean {
    const wrapper = this.wrappers.get(name)?.get(listener as unknown as Fn);
    return super.isRegistered(name, (wrapper ?? listener) as Listener<HostSpecs[K]>);
  }

  /**
   * Runs a veto hook and returns the first refusal in dispatch order, or undefined when
   * every listener agreed (or none listens).
   */
  async decide<K extends VetoHook>(name: K, args: ArgsOf<HostSpecs[K]>): Promise<Refusal | undefined> {
    const refusing = VETO_HOOKS[name];
    const decision: Decision = { values: new Map(), reasons: new Map() };
    const untyped = this as unknown as { invoke(n: string, a: unknown): Promise<{ report: { listeners: readonly { extension: string; status: string }[] } }> };
    const { report } = await decisions.run(decision, () => untyped.invoke(name, args));
    for (const line of report.listeners) {
      if (line.status !== 'ok') continue;
      if ((decision.values.get(line.extension) ?? []).includes(refusing)) {
        const reason = decision.reasons.get(line.extension);
        return reason === undefined ? { extension: line.extension } : { extension: line.extension, reason };
      }
    }
    return undefined;
  }

  /** Like {@link decide}, but throws a 403 {@link HostError} naming the refusing extension. */
  async refuse<K extends VetoHook>(name: K, args: ArgsOf<HostSpecs[K]>, what: string): Promise<void> {
    const refusal = await this.decide(name, args);
    if (refusal === undefined) return;
    const why = refusal.reason === undefined ? '' : `: ${refusal.reason}`;
    throw new HostError('PB_HOST_VETOED', `Extension "${refusal.extension}" refused to ${what} (hook ${name})${why}. Ask an administrator, or disable the extension.`, {
      extension: refusal.extension,
      hook: name,
      ...(refusal.reason !== undefined ? { reason: refusal.reason } : {}),
    });
  }
}
