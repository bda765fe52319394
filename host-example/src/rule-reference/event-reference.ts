import type { HookKind } from '@plugboard/core';
import { hostHooks } from '../hooks';
import { aboutUser } from '../rule-event-catalogue';
import { payloadFields, type PayloadField } from './payload-fields';

/** One rule event as the docs and the rule form describe it. */
export interface EventReference {
  readonly name: string;
  readonly kind: HookKind;
  readonly description: string;
  /** Whether the event is about an account (the "account owner" recipient resolves). */
  readonly hasUser: boolean;
  readonly fields: readonly PayloadField[];
}

/**
 * Every hook event of the host's catalogue with its payload fields, read from the catalogue's
 * declarations (parameter names, descriptions) and the model's field list: the one source of the
 * generated reference page and of the rule form's help.
 *
 * @example
 * ```ts
 * hookEventReference().find((e) => e.name === 'AccountCreated')?.fields[1]?.path; // 'account.id'
 * ```
 */
export function hookEventReference(): EventReference[] {
  return Object.entries(hostHooks)
    .map(([name, hook]) => {
      const params = hook.spec.options.params ?? [];
      return { name, kind: hook.spec.kind, description: hook.spec.options.description ?? '', hasUser: aboutUser(params), fields: payloadFields(name, params) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

// The catalogue is fixed at build time, so its reference is built once, on first use.
let byName: ReadonlyMap<string, EventReference> | undefined;

/** The reference of one hook event of the catalogue; `undefined` for any other name (API events, extensions' hooks). */
export function eventReference(name: string): EventReference | undefined {
  byName ??= new Map(hookEventReference().map((e) => [e.name, e]));
  return byName.get(name);
}
