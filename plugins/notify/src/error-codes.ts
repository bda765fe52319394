/**
 * The registry of every code `@plugboard/notify` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `NotifyErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const NOTIFY_ERRORS = {
  PB_NOTIFY_INVALID_CONFIG: 'A notification configuration or stored email hook fails validation (each bad field named). Fix the named fields; nothing was saved.',
  PB_NOTIFY_CONFIG_NOT_FOUND: 'The named notification configuration (or email hook) does not exist. List the configurations to find the right name.',
  PB_NOTIFY_CONFIG_EXISTS: 'A configuration or email hook with that name already exists. Update it or choose another name.',
  PB_NOTIFY_UNKNOWN_TAG: 'A template uses a `{tag}` that is neither a documented tag nor a payload field; nothing is queued. Fix or remove the tag.',
  PB_NOTIFY_UNKNOWN_ACTION: 'The rule names an action the handler module does not have. Use `sendmail` (UserNotification) or `send` (email hooks).',
  PB_NOTIFY_INVALID_OPTION: 'A rule option is missing or has a bad value. Fix the option named in the message.',
  PB_NOTIFY_NO_RECIPIENT: 'No recipient has a usable address (each one listed). Give the recipients an email address.',
  PB_NOTIFY_NO_DIRECTORY: 'The recipient type needs a `RecipientDirectory` and none was bound. Bind one, or use another recipient type.',
  PB_NOTIFY_HOOK_CONFIG: 'An email hook has a missing or malformed required setting. Fix the hook settings.',
  PB_NOTIFY_SEND_FAILED: 'Sending the email failed (the classified cause attached). Check the SMTP settings and the receiver.',
  PB_NOTIFY_TEST_FAILED: 'A test send through an SMTP configuration or SMS gateway failed; the message carries what the server or gateway answered. Fix the configuration and test again.',
} as const;

/** A code of {@link NOTIFY_ERRORS}: a union, so a misspelt code is a compile error. */
export type NotifyErrorCode = keyof typeof NOTIFY_ERRORS;

type NotifyErrorTable = typeof NOTIFY_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends NotifyErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (NotifyErrors.is(e, 'PB_NOTIFY_INVALID_CONFIG')) console.error(e.message);
 * ```
 */
export const NotifyErrors = defineErrorRegistry('@plugboard/notify', NOTIFY_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isNotifyError(e, 'PB_NOTIFY_INVALID_CONFIG')) console.error(e.code, e.message); }
 * ```
 */
export const isNotifyError = NotifyErrors.is;
