import type { HandlerModule } from '@plugboard/core';
import type { RuleEventFacts } from './event-catalogue';
import type { RuleIssue } from './errors';
import { templateTags } from './tag-template';

/**
 * A module that checks an action's options against the events the rule listens to, at save:
 * what can only fail when the event fires (a tag the event lacks, a recipient it cannot resolve)
 * is refused when the rule is saved instead.
 */
export interface EventAwareValidator {
  /** Issues (paths like `options.body`) for options that cannot work on `events`; empty when fine. */
  validateForEvents(action: string, options: Readonly<Record<string, unknown>>, events: readonly RuleEventFacts[]): RuleIssue[];
}

/** True when `module` checks its options against the rule's events. */
export function hasEventAwareValidator(module: HandlerModule): module is HandlerModule & EventAwareValidator {
  return typeof (module as Partial<EventAwareValidator>).validateForEvents === 'function';
}

/**
 * The issue for a template whose tags some event cannot fill: a tag (its first path segment) must
 * be one the module always provides or a payload field of every listed event whose payload is known.
 *
 * @example
 * ```ts
 * templateTagIssue('body', 'Hi {acount.username}', ['url'], [{ name: 'AccountCreated', payloadFields: ['account'], hasUser: true }]);
 * // { path: 'options.body', message: 'uses {acount.username}, which event AccountCreated does not provide; …' }
 * ```
 */
export function templateTagIssue(option: string, template: unknown, fixedTags: readonly string[], events: readonly RuleEventFacts[]): RuleIssue | undefined {
  if (typeof template !== 'string') return undefined;
  for (const tag of templateTags(template)) {
    const root = tag.split('.')[0];
    if (fixedTags.includes(root)) continue;
    const lacking = events.find((e) => e.payloadFields !== undefined && !e.payloadFields.includes(root));
    if (lacking === undefined) continue;
    const offered = [...(lacking.payloadFields ?? []), ...fixedTags].map((t) => `{${t}}`).join(', ');
    return { path: `options.${option}`, message: `uses {${tag}}, which event ${lacking.name} does not provide; its tags: ${offered}` };
  }
  return undefined;
}
