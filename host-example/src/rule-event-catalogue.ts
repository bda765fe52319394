import type { RuleEventCatalogue, RuleEventFacts } from '@plugboard/rules';

/**
 * Hook parameters that hold a host `User` (the catalogue's `Account` is one): hookEventParts makes
 * the first of them the user the event is about, which recipients like the token owner need.
 */
const USER_PARAMS: ReadonlySet<string> = new Set(['account', 'user', 'owner', 'byuser', 'oldaccount', 'newaccount']);

/** Whether a hook with these parameters is about a user (recipients like the account owner can resolve). */
export const aboutUser = (params: readonly string[]): boolean => params.some((p) => USER_PARAMS.has(p));

/** Where the host's events come from: the hook bus (names and parameter names), and the API routes once declared. */
export interface RuleEventSources {
  readonly hookNames: () => readonly string[];
  readonly hookParams: (hook: string) => readonly string[];
  readonly apiEvents: () => readonly string[] | undefined;
}

/**
 * The events rules may listen to, for checks at save: a hook event carries its parameters as
 * payload fields and is about a user when one of them is a `User`; an API event carries the
 * request's fields (not known in advance, so tags are not checked), is about no user, and its
 * result is the JSON response body.
 *
 * @example
 * ```ts
 * const events = ruleEventCatalogue({ hookNames: () => bus.names(), hookParams: (h) => bus.explain(h).params, apiEvents: () => routes });
 * events.describe?.('AccountCreated'); // { name: 'AccountCreated', payloadFields: ['account'], hasUser: true }
 * ```
 */
export function ruleEventCatalogue(sources: RuleEventSources): RuleEventCatalogue {
  return {
    hookEvents: sources.hookNames,
    apiEvents: sources.apiEvents,
    describe(event: string): RuleEventFacts | undefined {
      if (sources.hookNames().includes(event)) {
        const params = sources.hookParams(event);
        return { name: event, payloadFields: params, hasUser: aboutUser(params) };
      }
      return sources.apiEvents()?.includes(event) === true ? { name: event, hasUser: false, jsonResult: true } : undefined;
    },
  };
}
