import type { OutboxLogger } from './types';

/** The default logger of the outbox and its checkpoint thread: warnings and errors to the console. */
export const consoleLogger: OutboxLogger = {
  info: () => undefined,
  warn: (obj, msg) => console.warn(`[outbox] ${msg}`, obj),
  error: (obj, msg) => console.error(`[outbox] ${msg}`, obj),
};
