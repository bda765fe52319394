import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import { BaseHandlerModule, RuleAbortError } from '@plugboard/rules';

/**
 * The host's own handler module `HostPolicy`: action `deny` refuses the request or hook call
 * with a reason (use it in a `pre` rule with conditions, e.g. `payload_match: "name=\\.test$"`
 * on `POST /api/domains`). The API answers 403 naming the rule.
 *
 * @example
 * ```ts
 * await rules.store.create({ name: 'no .test domains', position: 'pre', events: ['POST /api/domains'],
 *   handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'test domains are not hosted here' },
 *   conditions: { payload_match: 'name=\\.test$' } });
 * ```
 */
export class HostPolicy extends BaseHandlerModule {
  readonly identifier = 'HostPolicy';
  readonly description = 'Refuses the request or hook call (pre rules): the caller gets the reason and the rule name.';
  readonly actions: Readonly<Record<string, ActionSpec>> = {
    deny: {
      description: 'Refuse the request (only meaningful in pre rules).',
      options: { reason: { type: 'str', required: true, description: 'Reason shown to the caller.' } },
    },
  };

  do(action: string, ctx: EventContext, options: OptionValues): HandlerOutcome {
    if (action !== 'deny') throw new Error(`HostPolicy has no action "${action}"; use "deny".`);
    const reason = typeof options.reason === 'string' && options.reason !== '' ? options.reason : `${ctx.event} is not allowed`;
    throw new RuleAbortError(reason);
  }
}
