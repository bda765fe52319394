import { PlugboardError } from '@plugboard/core';

// The union is derived from the registry, the one list of this package's codes.
import type { NotifyErrorCode } from './error-codes';
export type { NotifyErrorCode };

/**
 * Every error of this package: a {@link PlugboardError} with a `PB_NOTIFY_*` code.
 *
 * @example
 * ```ts
 * try { await notification.do('sendmail', ctx, options); }
 * catch (e) { if (e instanceof NotifyError && e.code === 'PB_NOTIFY_UNKNOWN_TAG') console.log(e.message); }
 * ```
 */
export class NotifyError extends PlugboardError {
  declare readonly code: NotifyErrorCode;

  constructor(code: NotifyErrorCode, message: string, details: { cause?: unknown; extension?: string } = {}) {
    super(code, message, details);
  }
}

/** A template used a `{tag}` that is neither a known tag nor a payload field. */
export class UnknownTagError extends NotifyError {
  /** The unknown tag names, without braces, in order of appearance. */
  readonly tags: readonly string[];

  constructor(tags: readonly string[], where: string) {
    const list = tags.map((t) => `{${t}}`).join(', ');
    super(
      'PB_NOTIFY_UNKNOWN_TAG',
      `Unknown tag ${list} in the ${where}; use one of the documented tags or a field of the event payload, or remove it.`,
    );
    this.tags = tags;
  }
}
