/**
 * The registry of every code `@plugboard/scripts` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `ScriptsErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const SCRIPTS_ERRORS = {
  PB_SCRIPTS_INVALID_EVENT_NAME: 'The event name is empty, `.`, contains `..`, `/`, `\\`, NUL or another control character, is over 255 bytes, or would resolve outside `events/`. Use a plain name.',
  PB_SCRIPTS_INVALID_PAYLOAD: "The payload has no JSON form (BigInt, a cycle, `undefined`), or a hook's payload mapper threw. Pass JSON data.",
  PB_SCRIPTS_INVALID_OPTIONS: 'A runner or rule option is invalid. Fix the option named.',
  PB_SCRIPTS_UNKNOWN_ACTION: 'The rule names an action other than `run`. Use `run`.',
  PB_SCRIPTS_DIRECTORY_NOT_ALLOWED: "The rule's directory is outside `allowedDirectories`. Allow it, or use an allowed directory.",
  PB_SCRIPTS_OUTSIDE_HANDLER: 'A handler directory or step is a symlink that resolves outside its base directory; no step ran. Remove the symlink.',
  PB_SCRIPTS_NO_HANDLER: '`requireHandler` is set and there is no handler. Add the handler or clear `requireHandler`.',
  PB_SCRIPTS_HANDLER_ABORTED: 'A step exited non-zero or could not start; the remaining steps were not run. Read the step output in the log and fix the step.',
  PB_SCRIPTS_HANDLER_TIMEOUT: 'A step exceeded its time limit and was killed. Make the step faster or raise its time limit.',
} as const;

/** A code of {@link SCRIPTS_ERRORS}: a union, so a misspelt code is a compile error. */
export type ScriptsErrorCode = keyof typeof SCRIPTS_ERRORS;

type ScriptsErrorTable = typeof SCRIPTS_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends ScriptsErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (ScriptsErrors.is(e, 'PB_SCRIPTS_INVALID_EVENT_NAME')) console.error(e.message);
 * ```
 */
export const ScriptsErrors = defineErrorRegistry('@plugboard/scripts', SCRIPTS_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isScriptsError(e, 'PB_SCRIPTS_INVALID_EVENT_NAME')) console.error(e.code, e.message); }
 * ```
 */
export const isScriptsError = ScriptsErrors.is;
