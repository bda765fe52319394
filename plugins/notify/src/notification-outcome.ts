import { createHash } from 'node:crypto';
import type { EventContext } from '@plugboard/core';
import type { MailPayload } from './mail-delivery';
import type { SmsPayload } from './sms-gateway';

/** Outbox options of one message: its dedupe key and the rule/event it came from. */
export function enqueueOptions(ctx: EventContext, action: string, payload: MailPayload | SmsPayload) {
  // The same event re-dispatched (at-least-once upstream) must not queue the same message twice:
  // the key is (event id, rule, destination + content), and event ids are unique across restarts.
  const digest = createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 32);
  return {
    dedupeKey: `${ctx.eventId}:${ctx.rule?.id ?? '-'}:${digest}`,
    meta: { module: 'UserNotification', action, event: ctx.event, eventId: ctx.eventId, ...(ctx.rule !== undefined ? { ruleId: String(ctx.rule.id), rule: ctx.rule.name } : {}) },
  };
}

/** The handler outcome's detail: how many messages were queued, to whom, and who was skipped and why. */
export function outcomeDetail(kind: string, count: number, accepted: readonly { address: string }[], skipped: readonly string[]): string {
  const to = accepted.map((a) => a.address).join(', ');
  return `queued ${count} ${kind}(s) to ${to}` + (skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '');
}
