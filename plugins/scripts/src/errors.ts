import { PlugboardError } from '@plugboard/core';
import type { HandlerRunResult } from './run-result';

// The union is derived from the registry, the one list of this package's codes.
import type { ScriptsErrorCode } from './error-codes';
export type { ScriptsErrorCode };

/**
 * Base class of the errors of `@plugboard/scripts`; match on `code`.
 *
 * @example
 * ```ts
 * try { await runner.run('../etc', {}); }
 * catch (e) { if (e instanceof ScriptsError && e.code === 'PB_SCRIPTS_INVALID_EVENT_NAME') reject(e.message); }
 * ```
 */
export class ScriptsError extends PlugboardError {
  declare readonly code: ScriptsErrorCode;

  constructor(code: ScriptsErrorCode, message: string, details: { hook?: string; extension?: string; cause?: unknown } = {}) {
    super(code, message, details);
  }
}

/**
 * An event name that cannot safely name a directory under `events/` (`..`, `/`, `\`, NUL,
 * control characters, empty or too long).
 */
export class InvalidEventNameError extends ScriptsError {
  readonly eventName: string;

  constructor(eventName: string, why: string) {
    super(
      'PB_SCRIPTS_INVALID_EVENT_NAME',
      `Event name ${JSON.stringify(eventName)} is refused: ${why}. Use a plain name such as "account-provider-changed" ` +
        '(letters, digits, "-", "_", "."; no path separators).',
    );
    this.eventName = eventName;
  }
}

/**
 * A handler ran and did not complete: a step exited non-zero or could not start
 * (`PB_SCRIPTS_HANDLER_ABORTED`) or a step exceeded its time limit (`PB_SCRIPTS_HANDLER_TIMEOUT`).
 * `result` holds every step's exit code and duration.
 */
export class HandlerFailedError extends ScriptsError {
  readonly result: HandlerRunResult;

  constructor(result: HandlerRunResult, details: { hook?: string; extension?: string } = {}) {
    const where = `${result.source}/event/${result.event}`;
    const code = result.status === 'timeout' ? 'PB_SCRIPTS_HANDLER_TIMEOUT' : 'PB_SCRIPTS_HANDLER_ABORTED';
    const message =
      result.status === 'timeout'
        ? `Handler of ${where} timed out at step ${result.lastStep ?? '?'} and was killed; make the step faster or raise its time limit.`
        : `Handler of ${where} exited with status "aborted" (${result.exitCode}) at step ${result.lastStep ?? '?'}; ` +
          'the remaining steps were not run. Read the step output in the log and fix the step.';
    super(code, message, details);
    this.result = result;
  }
}
