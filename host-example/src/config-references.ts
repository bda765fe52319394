import type { Rule } from '@plugboard/rules';
import { conflict } from './errors';

/** A configuration kind that rules name in one of their options. */
export interface ConfigReference {
  /** How the API calls it, for the message: "SMTP configuration". */
  readonly what: string;
  readonly handlerModule: string;
  /** Actions whose option names the configuration (any action when omitted). */
  readonly actions?: readonly string[];
  readonly option: string;
}

/** Rules point at configurations by name only; these are the options that do. */
export const SMTP_REFERENCE: ConfigReference = { what: 'SMTP configuration', handlerModule: 'UserNotification', actions: ['sendmail'], option: 'emailconfig' };
export const SMS_REFERENCE: ConfigReference = { what: 'SMS gateway', handlerModule: 'UserNotification', actions: ['sendsms'], option: 'smsconfig' };
export const WEBHOOK_REFERENCE: ConfigReference = { what: 'webhook endpoint', handlerModule: 'WebHook', actions: ['post'], option: 'endpoint' };

/**
 * The rules whose option names one of `keys` (a configuration's name, or an endpoint's id and name).
 *
 * @example
 * ```ts
 * rulesUsing(await store.list(), SMTP_REFERENCE, ['relay']).map((r) => r.name); // ['welcome mail']
 * ```
 */
export function rulesUsing(rules: readonly Rule[], ref: ConfigReference, keys: readonly string[]): Rule[] {
  return rules.filter((rule) => {
    if (rule.handlerModule !== ref.handlerModule) return false;
    if (ref.actions !== undefined && !ref.actions.includes(rule.action)) return false;
    const value = rule.options[ref.option];
    return typeof value === 'string' && keys.includes(value.trim());
  });
}

/**
 * Refuses (409) to delete a configuration that rules still use, unless `force`: deleting it would
 * make those rules fail on every event.
 */
export function assertUnused(rules: readonly Rule[], ref: ConfigReference, keys: readonly string[], force: boolean): void {
  if (force) return;
  const users = rulesUsing(rules, ref, keys);
  if (users.length === 0) return;
  const names = users.map((r) => `${JSON.stringify(r.name)} (id ${String(r.id)})`).join(', ');
  throw conflict(
    ref.option,
    `The ${ref.what} ${JSON.stringify(keys[0])} is used by rule(s) ${names}; point those rules at another ${ref.what} or delete them first, or delete anyway with ?force=true (CLI: --force; those rules then fail until edited).`,
  );
}
