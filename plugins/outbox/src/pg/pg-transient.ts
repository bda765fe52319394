import type { OutboxLogger } from '../types';

// SQLSTATE classes and codes of a server going away or not yet back: connection exceptions (08…),
// admin/crash shutdown and "the database system is starting up" (57P01–57P03).
const TRANSIENT_CODES = /^(08|57P0[123])/;
const TRANSIENT_MESSAGES = /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|connection ended|Client has encountered a connection error/i;

/** Whether an error means PostgreSQL is restarting or unreachable for now, so the same write may succeed soon. */
export function isTransientPgError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && (TRANSIENT_CODES.test(code) || /^E[A-Z]+$/.test(code) && TRANSIENT_MESSAGES.test(code))) || (typeof message === 'string' && TRANSIENT_MESSAGES.test(message));
}

/**
 * Runs a write again while PostgreSQL is restarting (up to `budgetMs`, backing off from 50 ms to
 * 1 s), so an enqueue made during a server restart is stored once the server is back instead of
 * failing the rule that made it. Other errors, and the last transient one, are thrown.
 */
export async function retryTransient<R>(write: () => Promise<R>, logger: OutboxLogger, budgetMs = 30_000): Promise<R> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await write();
    } catch (err) {
      if (!isTransientPgError(err) || Date.now() + delay > deadline) throw err;
      logger.warn({ code: 'PB_OUTBOX_LOOP', err }, `PostgreSQL is unreachable (${err instanceof Error ? err.message : String(err)}); storing the message again in ${delay} ms.`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
