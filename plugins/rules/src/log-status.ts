import type { HandlerOutcome } from '@plugboard/core';
import type { RuleRunStatus } from './dispatch-summary';
import type { EventLogStatus } from './event-log';

/**
 * What the rules log records for one rule run. An action that ran is only `ok` when it did its
 * work then and there: one that handed messages to the outbox is `queued` (the delivery is still
 * to come, see the rule's deliveries), and one that deliberately did nothing is `skipped` with
 * its reason — logging either as `ok` claimed something that had not happened.
 */
export function logOutcome(status: RuleRunStatus, outcome: HandlerOutcome | void, detail: string | undefined): { status: EventLogStatus; detail?: string } {
  if (status !== 'ran' || !outcome) return detail === undefined ? { status: toLogStatus(status) } : { status: toLogStatus(status), detail };
  if (outcome.skipped !== undefined) return { status: 'skipped', detail: outcome.skipped };
  const queued = outcome.queued ?? [];
  if (queued.length > 0) return { status: 'queued', detail: detail ?? `queued ${queued.length} message(s): ${queued.join(', ')}` };
  return detail === undefined ? { status: 'ok' } : { status: 'ok', detail };
}

function toLogStatus(status: RuleRunStatus): EventLogStatus {
  return status === 'ran' ? 'ok' : status;
}
