import { CommanderError } from 'commander';
import { PlugboardError } from '@plugboard/core';
import { apiStatus } from '../error-status';

/** The exit codes of `plugboard-host`. */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** Refused: bad input, a missing object, a conflict, no permission, a veto or a rule (the message says what to change). */
  refused: 1,
  /** An unexpected failure (a bug, a broken database or extension): the stack is printed; report it. */
  failed: 70,
} as const;

/** The exit codes, as shown after `--help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0   done
  1   refused: invalid input or usage, not found, conflict, not allowed, vetoed by an extension,
      aborted by a pre rule, or an import with bad rows (nothing imported); the message says why
  70  unexpected failure (bug, database or extension crash): the stack trace is printed
`;

/** Whether `e` is a refusal the user can act on (a 4xx of the API, a usage error), not a failure. */
export function isRefusal(e: unknown): boolean {
  if (e instanceof CommanderError) return true;
  return e instanceof PlugboardError && apiStatus(e.code) < 500;
}

/**
 * Prints a command's error on `stderr`: a refusal as one `error: <message>` line (no stack: nothing
 * is broken), anything else with its stack. Returns the exit code.
 *
 * @example
 * ```ts
 * buildCli().parseAsync(process.argv).catch((e) => (process.exitCode = reportCliError(e, process.stderr)));
 * ```
 */
export function reportCliError(e: unknown, stderr: { write(text: string): unknown }): number {
  const message = e instanceof Error ? e.message : String(e);
  if (isRefusal(e)) {
    stderr.write(`error: ${message}\n`);
    return EXIT_CODES.refused;
  }
  stderr.write(`error: ${message}\n${e instanceof Error && e.stack !== undefined ? `${e.stack}\n` : ''}`);
  return EXIT_CODES.failed;
}
