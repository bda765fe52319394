/**
 * Coded errors. Every error Plugboard throws is a {@link PlugboardError} with a stable
 * `code` (match on it, not on the message), the hook and extension involved when there
 * is one, the underlying `cause`, and a message that says what to do.
 */
import type { PlugboardErrorCode } from './error-codes';

/** Context attached to an error. */
export interface ErrorDetails {
  readonly hook?: string;
  readonly extension?: string;
  readonly cause?: unknown;
}

/**
 * Base class of all Plugboard errors.
 *
 * @example
 * ```ts
 * try { await bus.call('PasswordChange', user); }
 * catch (e) { if (e instanceof PlugboardError && e.code === 'PB_LISTENER_FAILED') console.log(e.extension); }
 * ```
 */
export class PlugboardError extends Error {
  /** A code of a registry ({@link PlugboardErrorCode}): an unknown code is a compile error. */
  readonly code: PlugboardErrorCode;
  readonly hook?: string;
  readonly extension?: string;

  constructor(code: PlugboardErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    if (details.hook !== undefined) this.hook = details.hook;
    if (details.extension !== undefined) this.extension = details.extension;
  }
}

/** Several listeners failed in one call (policy `aggregate`); `errors` holds each {@link ListenerError}. */
export class ListenersFailedError extends AggregateError {
  readonly code = 'PB_LISTENERS_FAILED';
  readonly hook: string;

  constructor(hook: string, errors: readonly ListenerError[]) {
    const names = errors.map((e) => e.extension).join(', ');
    super(errors, `${errors.length} listener(s) of hook "${hook}" failed (${names}); see .errors for each cause.`);
    this.name = 'ListenersFailedError';
    this.hook = hook;
  }
}

/** A listener threw, rejected, timed out or returned a value its hook's schema refuses. */
export class ListenerError extends PlugboardError {
  // Not useless: it narrows `code` to the listener codes.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(
    code: 'PB_LISTENER_FAILED' | 'PB_LISTENER_TIMEOUT' | 'PB_INVALID_RESULT',
    message: string,
    details: ErrorDetails & { hook: string; extension: string },
  ) {
    super(code, message, details);
  }
}

/** Builds the error for a listener that threw or rejected. */
export function listenerFailed(hook: string, extension: string, cause: unknown): ListenerError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ListenerError(
    'PB_LISTENER_FAILED',
    `Extension "${extension}" failed in hook "${hook}": ${why}. Fix the extension or disable it; the cause is attached.`,
    { hook, extension, cause },
  );
}

/** Builds the error for a listener that exceeded its time limit. */
export function listenerTimedOut(hook: string, extension: string, ms: number): ListenerError {
  return new ListenerError(
    'PB_LISTENER_TIMEOUT',
    `Extension "${extension}" did not finish hook "${hook}" within ${ms} ms; it was sent an abort signal. Raise its timeoutMs or make it honour the signal.`,
    { hook, extension },
  );
}

/** Builds the error for a result that fails the hook's result schema. */
export function invalidResult(hook: string, extension: string, cause: unknown): ListenerError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ListenerError(
    'PB_INVALID_RESULT',
    `Extension "${extension}" returned an invalid result for hook "${hook}": ${why}. Return what the hook's result schema describes.`,
    { hook, extension, cause },
  );
}

/** The name does not denote a hook of the catalogue. */
export class UnknownHookError extends PlugboardError {
  constructor(hook: string) {
    super('PB_UNKNOWN_HOOK', `Hook "${hook}" is not in the catalogue; declare it with defineHooks() or fix the name.`, { hook });
  }
}

/** A hook declaration or a registration is malformed (bad hook name, listener not a function, no extension). */
export class InvalidDefinitionError extends PlugboardError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('PB_INVALID_DEFINITION', message, details);
  }
}

/** Call arguments fail the hook's argument schema. */
export class InvalidArgumentsError extends PlugboardError {
  constructor(hook: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('PB_INVALID_ARGUMENTS', `Arguments of hook "${hook}" are invalid: ${why}. Pass what the hook's argument schema describes.`, { hook, cause });
  }
}

/** before/after constraints name an unknown extension or form a cycle. */
export class OrderingError extends PlugboardError {
  // Not useless: it narrows `code` to the ordering codes.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(code: 'PB_ORDER_UNKNOWN' | 'PB_ORDER_CYCLE', message: string, details: ErrorDetails) {
    super(code, message, details);
  }
}

/** Two extensions returned the same key for a `merge` hook. */
export class MergeConflictError extends PlugboardError {
  readonly key: string;
  readonly extensions: readonly [string, string];

  constructor(hook: string, key: string, first: string, second: string) {
    super(
      'PB_MERGE_CONFLICT',
      `Extensions "${first}" and "${second}" both returned key "${key}" for hook "${hook}"; the value of "${first}" was kept. Rename one of the keys.`,
      { hook, extension: second },
    );
    this.key = key;
    this.extensions = [first, second];
  }
}

/** A problem with an extension class or its lifecycle (install, enable, disable). */
export class ExtensionError extends PlugboardError {
  constructor(
    code:
      | 'PB_EXT_INVALID'
      | 'PB_EXT_DUPLICATE'
      | 'PB_EXT_UNKNOWN'
      | 'PB_EXT_CONSTRUCT_FAILED'
      | 'PB_EXT_ENABLE_FAILED'
      | 'PB_EXT_DISABLE_FAILED'
      | 'PB_EXT_REQUIRES'
      | 'PB_EXT_REQUIRED_BY'
      | 'PB_EXT_NO_CONTEXT'
      | 'PB_EXT_TIMEOUT',
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
  }
}
