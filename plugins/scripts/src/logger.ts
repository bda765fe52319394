/** One log method in pino's `(mergingObject, message)` form. */
export type ScriptLogMethod = (obj: Record<string, unknown>, msg: string) => void;

/**
 * The logger the runner writes to. A pino `Logger` satisfies it as is; any object with these
 * four methods does too (the tests use a capturing one).
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const runner = new StepScriptRunner({ directories: ['/var/lib/mymodule'], logger: pino() });
 * ```
 */
export interface ScriptLogger {
  debug: ScriptLogMethod;
  info: ScriptLogMethod;
  warn: ScriptLogMethod;
  error: ScriptLogMethod;
}

function write(stream: NodeJS.WriteStream, level: string, obj: Record<string, unknown>, msg: string): void {
  stream.write(`${JSON.stringify({ level, time: Date.now(), ...obj, msg })}\n`);
}

/**
 * Default logger when none is given: one JSON line per record, info to stdout and
 * warn/error to stderr; debug records are dropped.
 */
export const consoleScriptLogger: ScriptLogger = {
  debug: () => undefined,
  info: (obj, msg) => write(process.stdout, 'info', obj, msg),
  warn: (obj, msg) => write(process.stderr, 'warn', obj, msg),
  error: (obj, msg) => write(process.stderr, 'error', obj, msg),
};
