import { AsyncLocalStorage } from 'node:async_hooks';
import { HookBus, type ArgsOf, type HookBusOptions, type HookOverrides, type ListenerContext } from '@plugboard/core';
import { HostError } from './errors';
import { hostHooks, VETO_HOOKS, type HostHookName, type HostSpecs } from './hooks';

/** The host's bus: the full catalogue with the host's policies and time limits. */
export type HostBus = HookBus<HostSpecs>;
/** The container token under which the host binds its bus (`@inject(HostBus) bus: HostBus`). */
export const HostBus: unique symbol = Symbol.for('plugboard.host.bus');

/**
 * Hooks that fill a page (menus, extra fields, content): a failing or invalid contribution
 * is dropped and reported against its extension, and the page shows the rest.
 */
export const DISPLAY_HOOKS = [
  'AdminMenuDisplay',
  'ExtraAccountActions',
  'ExtraAccountForm',
  'ExtraAdminContent',
  'ExtraDomainEntries',
  'ExtraDomainFilters',
  'ExtraDomainForm',
  'ExtraDomainImportHelp',
  'ExtraDomainMenuEntries',
  'ExtraFormFields',
  'ExtraRelayDomainForm',
  'GetAnnouncement',
  'GetDomainActions',
  'GetExtraLimitTemplates',
  'GetExtraRoles',
  'GetStaticContent',
  'TopNotifications',
  'UserMenuDisplay',
] as const satisfies readonly HostHookName[];

/** The host's time limits, in milliseconds, for every hook (all 56 are async). */
export interface HostLimits {
  /** Hooks that fill a page. Default 2 000: a page must not wait long for one extension. */
  readonly displayMs?: number;
  /** Every other hook (events after a change, vetoes, imports). Default 5 000. */
  readonly defaultMs?: number;
  /** Per extension, over the above (e.g. a known slow one). */
  readonly extensions?: Readonly<Record<string, number>>;
}

/**
 * The host's choices per hook: display hooks isolate a failing contribution; veto hooks are
 * decided by {@link decide}, which fails closed (a failing check refuses); the others keep the
 * catalogue's policy (Modoboa's). Every listener gets a time limit.
 *
 * @example
 * ```ts
 * const bus = createHostBus({ displayMs: 1000 }, { onError: (e) => log.error(e) });
 * ```
 */
export function createHostBus(limits: HostLimits = {}, options: Pick<HookBusOptions<HostSpecs>, 'onError'> = {}): HostBus {
  const hooks: { [K in HostHookName]?: HookOverrides } = {};
  for (const name of DISPLAY_HOOKS) hooks[name] = { policy: 'isolate', timeoutMs: limits.displayMs ?? 2_000 };
  const extensions = Object.fromEntries(Object.entries(limits.extensions ?? {}).map(([name, timeoutMs]) => [name, { timeoutMs }]));
  return new HookBus(hostHooks, { ...options, timeoutMs: limits.defaultMs ?? 5_000, hooks, extensions });
}

/** Reasons given with {@link vetoReason} during one decision, per extension. */
const reasons = new AsyncLocalStorage<Map<string, string>>();

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
  reasons.getStore()?.set(ctx.extension, reason);
}

export type VetoHook = keyof typeof VETO_HOOKS & HostHookName;

/** The refusal of a veto hook: which extension refused and why. */
export interface Refusal {
  readonly extension: string;
  readonly reason?: string;
}

/**
 * Runs a veto hook and returns the first refusal in dispatch order, or undefined when every
 * listener agreed (or none listens). Fails closed: a listener that throws, times out or
 * answers something else than a boolean refuses, with its error as the reason.
 */
export async function decide<K extends VetoHook>(bus: HostBus, name: K, args: ArgsOf<HostSpecs[K]>): Promise<Refusal | undefined> {
  const refusing: unknown = VETO_HOOKS[name];
  const given = new Map<string, string>();
  const { report } = await reasons.run(given, () => bus.invoke(name, args, { policy: 'isolate' }));
  for (const line of report.listeners) {
    if (line.status === 'skipped') continue;
    if (line.status !== 'ok') return { extension: line.extension, reason: `its check failed (${line.error?.message ?? line.status}), so the host refuses to be safe` };
    const values: unknown[] = Array.isArray(line.value) ? line.value : [line.value];
    if (values.includes(refusing)) {
      const reason = given.get(line.extension);
      return reason === undefined ? { extension: line.extension } : { extension: line.extension, reason };
    }
  }
  return undefined;
}

/** Like {@link decide}, but throws a 403 {@link HostError} naming the refusing extension. */
export async function refuse<K extends VetoHook>(bus: HostBus, name: K, args: ArgsOf<HostSpecs[K]>, what: string): Promise<void> {
  const refusal = await decide(bus, name, args);
  if (refusal === undefined) return;
  const why = refusal.reason === undefined ? '' : `: ${refusal.reason}`;
  throw new HostError('PB_HOST_VETOED', `Extension "${refusal.extension}" refused to ${what} (hook ${name})${why}. Ask an administrator, or disable the extension.`, {
    extension: refusal.extension,
    hook: name,
    ...(refusal.reason !== undefined ? { reason: refusal.reason } : {}),
  });
}
