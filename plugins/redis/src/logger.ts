/**
 * The logging the bridge needs, in pino's argument order (`logger.warn(details, message)`),
 * so a pino logger can be passed as is.
 */
export interface BridgeLogger {
  debug?(details: Record<string, unknown>, message: string): void;
  info?(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** Logs to the console; used when no logger is given. */
export const consoleLogger: BridgeLogger = {
  warn: (details, message) => console.warn(`[plugboard/redis] ${message}`, details),
  error: (details, message) => console.error(`[plugboard/redis] ${message}`, details),
};

/** A short, loggable description of an error. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
