import type { Outbox } from './outbox';
import { toMessage } from './message-row';
import { messagesWithMeta } from './queries/by-meta';
import { sqliteQueries } from './queries/on-sqlite';
import type { OutboxMessage } from './types';

/**
 * Messages whose metadata has `key` = `value`, newest first (e.g. every message a rule queued:
 * `messagesByMeta(outbox, 'ruleId', '7')`), with their current state and attempts. This is how a
 * message's final outcome (delivered / dead) is traced back to whatever queued it.
 *
 * A scan of the meta column: meant for an administrator's look at one rule, not a hot path.
 *
 * @example
 * ```ts
 * const dead = messagesByMeta(outbox, 'ruleId', '7').filter((m) => m.state === 'dead');
 * ```
 */
export function messagesByMeta(outbox: Pick<Outbox, 'db' | 'get'>, key: string, value: string, limit = 100): OutboxMessage[] {
  const { sql, k } = sqliteQueries(outbox.db);
  return sql.runSync(messagesWithMeta(k, 'sqlite', key, value, limit)).map((r) => toMessage(r));
}
