/**
 * The registry of every code `@plugboard/webhooks` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `WebhookErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const WEBHOOK_ERRORS = {
  PB_WEBHOOK_ADDRESS_REFUSED: 'The address guard refused a private, loopback or link-local destination. Add it to the allow list if intended.',
  PB_WEBHOOK_DELIVERY_FAILED: 'A standalone trigger could not deliver (`WebhookDeliveryError`: `statusCode`, `retryable`). Check the receiver; retry if `retryable`.',
  PB_WEBHOOK_ENDPOINT_INVALID: 'An endpoint fails validation (bad URL, name or secret; each field named). Fix the named fields.',
  PB_WEBHOOK_ENDPOINT_UNKNOWN: 'No endpoint has that id or name. List the endpoints to find it.',
  PB_WEBHOOK_ENDPOINT_EXISTS: 'An endpoint with that name already exists. Update it or choose another name.',
  PB_WEBHOOK_TRIGGER_INVALID: 'A trigger fails validation (each field named). Fix the named fields.',
  PB_WEBHOOK_TRIGGER_UNKNOWN: 'No trigger has that name (or the token does not match). Register the trigger or fix the name.',
  PB_WEBHOOK_TRIGGER_EXISTS: 'A trigger with that name already exists. Choose another name.',
  PB_WEBHOOK_UNKNOWN_ACTION: 'The rule names an action the WebHook module does not have. Use `post`, `mattermost` or `dockerhub`.',
  PB_WEBHOOK_INVALID_OPTION: 'An option is missing or invalid (rule option, allow-list entry, `retireSecrets`, a `postgres://` database given to a synchronous constructor). Fix the option named, or open with `Webhooks.open` / `EndpointStore.open`.',
} as const;

/** A code of {@link WEBHOOK_ERRORS}: a union, so a misspelt code is a compile error. */
export type WebhookErrorCode = keyof typeof WEBHOOK_ERRORS;

type WebhookErrorTable = typeof WEBHOOK_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends WebhookErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (WebhookErrors.is(e, 'PB_WEBHOOK_ADDRESS_REFUSED')) console.error(e.message);
 * ```
 */
export const WebhookErrors = defineErrorRegistry('@plugboard/webhooks', WEBHOOK_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isWebhookError(e, 'PB_WEBHOOK_ADDRESS_REFUSED')) console.error(e.code, e.message); }
 * ```
 */
export const isWebhookError = WebhookErrors.is;
