import type { RuleEventFacts } from './event-catalogue';
import type { RuleIssue } from './errors';
import { isUnset } from './option-values';

/**
 * The issue for a `result_value` condition on an event whose result is a JSON body: it compares
 * the whole result as one value, so it never matches an object; `result_compare` matches its
 * fields by path instead.
 *
 * @example
 * ```ts
 * resultConditionIssue({ result_value: 'ann' }, [{ name: 'POST /api/accounts', hasUser: false, jsonResult: true }]);
 * // { path: 'conditions.result_value', message: 'compares the whole result, but …' }
 * ```
 */
export function resultConditionIssue(conditions: Readonly<Record<string, unknown>>, events: readonly RuleEventFacts[]): RuleIssue | undefined {
  if (isUnset(conditions.result_value)) return undefined;
  const json = events.find((e) => e.jsonResult === true);
  if (json === undefined) return undefined;
  return {
    path: 'conditions.result_value',
    message: `compares the whole result, but the result of event ${json.name} is a JSON body, so it never matches; use result_compare with a path into it instead, e.g. "username == ann@example.com"`,
  };
}
