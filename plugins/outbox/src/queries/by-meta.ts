import { all, type Work } from '@plugboard/sql';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MessageRow } from '../message-row';
import type { OutboxDialect, OutboxTables } from '../schema/tables';

/**
 * Messages whose metadata has `key` = `value`, newest first, at most `limit` (kept within
 * 0…1000). A scan of the meta column: for an administrator's look at one rule, not a hot path.
 *
 * @example
 * ```ts
 * const queued = await sqlDb.run(messagesWithMeta(k, sqlDb.dialect, 'ruleId', '7', 100));
 * ```
 */
export function* messagesWithMeta(k: Kysely<OutboxTables>, dialect: OutboxDialect, key: string, value: string, limit: number): Work<MessageRow[]> {
  const q = k
    .selectFrom('outbox_messages')
    .selectAll()
    .where('meta', 'is not', null)
    .where(metaValue(dialect, key), '=', value)
    .orderBy('seq', 'desc')
    .limit(Math.min(Math.max(Math.trunc(limit), 0), 1000));
  return yield* all(q);
}

/** The text of `key` in the JSON meta column: the one expression the dialects spell differently. */
function metaValue(dialect: OutboxDialect, key: string): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`meta::jsonb ->> ${key}` : sql<string>`json_extract(meta, ${`$.${JSON.stringify(key)}`})`;
}
