import { metaLimit } from './message-admin';
import type { Outbox } from './outbox';
import type { OutboxMessage } from './types';

/**
 * Messages whose metadata has `key` = `value`, newest first (e.g. every message a rule queued:
 * `messagesByMeta(outbox, 'ruleId', '7')`), with their current state and attempts. This is how a
 * message's final outcome (delivered / dead) is traced back to whatever queued it.
 *
 * A scan of the meta column: meant for an administrator's look at one rule, not a hot path.
 */
export function messagesByMeta(outbox: Pick<Outbox, 'db' | 'get'>, key: string, value: string, limit = 100): OutboxMessage[] {
  const ids = outbox.db
    .prepare('SELECT id FROM outbox_messages WHERE meta IS NOT NULL AND json_extract(meta, ?) = ? ORDER BY seq DESC LIMIT ?')
    .pluck()
    .all(`$.${JSON.stringify(key)}`, value, metaLimit(limit)) as string[];
  return ids.map((id) => outbox.get(id)).filter((m): m is OutboxMessage => m !== undefined);
}
