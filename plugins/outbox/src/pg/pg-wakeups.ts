import { PgListener } from '@plugboard/sql';
import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { OutboxLogger } from '../types';

/**
 * Listens on the channel the insert trigger notifies (`plugboard_outbox_<schema>`: other schemas'
 * outboxes stay asleep) and calls `kick` on each notification and after each reconnect, when
 * notifications may have been lost. Rejects when the first connection fails.
 */
export async function listenForWakeups(url: string, db: Kysely<unknown>, logger: OutboxLogger, kick: () => void, reconnectMs?: number): Promise<PgListener> {
  const onError = (err: Error, message: string): void => logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `Outbox: ${message}`);
  const listener = new PgListener({ url, onError, onNotify: kick, onListening: kick, ...(reconnectMs !== undefined ? { reconnectMs } : {}) });
  try {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    await listener.add(`plugboard_outbox_${rows[0]?.schema ?? 'public'}`);
  } catch (err) {
    await listener.close();
    throw err;
  }
  return listener;
}

/**
 * Wakes the idle workers of every process on this schema (at commit), as an insert's trigger
 * does: for a message made due by an update (a retry).
 */
export async function wakeWorkers(db: QueryExecutorProvider): Promise<void> {
  await sql`SELECT pg_notify('plugboard_outbox_' || current_schema(), '')`.execute(db);
}
