import { templateTagIssue, type RuleEventFacts, type RuleIssue } from '@plugboard/rules';
import { NOTIFY_TYPE } from './recipients';

// The options rendered with `{tag}`s when a notification is sent.
const TEMPLATE_OPTIONS = ['subject', 'body'] as const;

/**
 * What a UserNotification rule gets wrong for its events, found at save rather than on every
 * event: a `{tag}` in the subject or body that an event does not provide, and `To: tokenowner`
 * on an event about no user (nobody to send to). `fixedTags` are the tags every notification has.
 *
 * @example
 * ```ts
 * notificationSaveIssues({ To: 'tokenowner' }, [{ name: 'POST /api/domains', hasUser: false }], ['url']);
 * // [{ path: 'options.To', message: 'is "tokenowner", but event POST /api/domains is about no user; …' }]
 * ```
 */
export function notificationSaveIssues(options: Readonly<Record<string, unknown>>, events: readonly RuleEventFacts[], fixedTags: readonly string[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const option of TEMPLATE_OPTIONS) {
    const issue = templateTagIssue(option, options[option], fixedTags, events);
    if (issue !== undefined) issues.push(issue);
  }
  const userless = events.find((e) => !e.hasUser);
  if (options.To === NOTIFY_TYPE.TOKENOWNER && userless !== undefined) {
    issues.push({
      path: 'options.To',
      message: `is "${NOTIFY_TYPE.TOKENOWNER}", but event ${userless.name} is about no user, so there is nobody to notify; choose "${NOTIFY_TYPE.LOGGED_IN_USER}", "${NOTIFY_TYPE.EMAIL}" or an admin type, or an event about an account`,
    });
  }
  return issues;
}
