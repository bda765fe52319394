import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * The CLI's logger, on stderr so stdout keeps only the command's output (CSV, lists): readable lines
 * (pino-pretty) when stderr is a terminal, JSON lines otherwise (files, pipes, log collectors).
 *
 * @example
 * ```ts
 * const host = await createHost({ logger: cliLogger('warn') });
 * ```
 */
export function cliLogger(level: string, stderr: { isTTY?: boolean } = process.stderr): Logger {
  if (stderr.isTTY === true) return pino({ level }, pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
  return pino({ level }, pino.destination({ fd: 2, sync: true }));
}
