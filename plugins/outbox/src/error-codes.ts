/**
 * The registry of every code `@plugboard/outbox` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `OutboxErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const OUTBOX_ERRORS = {
  PB_OUTBOX_INVALID_OPTIONS: 'Outbox, channel or checkpointer options are invalid (e.g. an in-memory database for the WAL checkpointer). Fix the option named.',
  PB_OUTBOX_INVALID_PAYLOAD: 'A payload has no JSON form. Enqueue plain JSON data.',
  PB_OUTBOX_DUPLICATE_CHANNEL: 'A channel of that name is already registered. Register each channel once.',
  PB_OUTBOX_UNKNOWN_CHANNEL: 'A message names a channel no deliverer is registered for (reported, at most once a minute per channel). Register the channel.',
  PB_OUTBOX_UNKNOWN_MESSAGE: 'No message has that id. List the messages to find the right id.',
  PB_OUTBOX_NOT_RETRYABLE: 'Only dead or failed messages can be retried. Wait for the message to fail, or leave it.',
  PB_OUTBOX_CLOSED: 'The outbox (or its database) was closed. Create a new outbox; attempts in flight are delivered again.',
  PB_OUTBOX_STOPPED: 'The outbox was stopped while `drain()` waited. Start it again, or stop waiting.',
  PB_OUTBOX_DRAIN_TIMEOUT: '`drain()` did not finish within its time limit. Raise the limit or check the deliverers.',
  PB_OUTBOX_ATTEMPT_TIMEOUT: 'A delivery attempt exceeded its time limit (the abort reason given to the deliverer); it is retried. Make the deliverer honour the signal.',
  PB_OUTBOX_SCHEMA: 'The database holds a newer outbox schema than this code knows. Upgrade `@plugboard/outbox`.',
  PB_OUTBOX_MIGRATION: 'A migration of the outbox tables failed (the failing migration is named; its cause is attached). Fix the database, then open the outbox again.',
  PB_OUTBOX_DATABASE: 'The `database` option names no supported store (a better-sqlite3 Database, a SQLite path, a `postgres://` URL or a Kysely instance), or PostgreSQL refused the first connection. Fix the option or start PostgreSQL.',
  PB_OUTBOX_PERMANENT: 'Thrown by a deliverer (`PermanentDeliveryError`) when retrying cannot help: the message is dead-lettered at once. Fix the cause, then `retry(id)`.',
  PB_OUTBOX_RETRYABLE: 'Thrown by a deliverer (`RetryableDeliveryError`) for a temporary failure: the message is retried with backoff or after `retryAfterMs`.',
} as const;

/**
 * A code of {@link OutboxError}: a union, so a misspelt code is a compile error. The two
 * delivery codes belong to their own classes, which deliverers throw.
 */
export type OutboxErrorCode = Exclude<keyof typeof OUTBOX_ERRORS, 'PB_OUTBOX_PERMANENT' | 'PB_OUTBOX_RETRYABLE'>;

/**
 * Codes of the outbox's log lines (`code` field of the logged object). They are never thrown,
 * so they are not error codes; they are listed so that log alerts can match on them.
 */
export const OUTBOX_LOG_CODES = {
  PB_OUTBOX_RETRY: 'A delivery attempt failed and the message is scheduled again (`attempt`, `delayMs`, `statusCode`). Nothing to do unless it repeats.',
  PB_OUTBOX_DEAD: 'A message was dead-lettered (permanent failure or attempts exhausted; `reason`). Fix the cause, then `retry(id)`.',
  PB_OUTBOX_CLAIM_LOST: "Another process took over a message while it was being delivered; this attempt's result was dropped. Check that one outbox owns each database.",
  PB_OUTBOX_LOOP: 'The delivery loop failed and retries after `pollIntervalMs`. Check the database.',
  PB_OUTBOX_LISTENER: 'A listener of an outbox event threw. Listeners must not throw: fix the listener.',
  PB_OUTBOX_CHECKPOINT: 'A WAL checkpoint failed, or checkpoints stay inside commits; retried at the next interval. Check the database file and disk.',
} as const;

/** Every registry code, including the delivery codes. */
type OutboxErrorTable = typeof OUTBOX_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends OutboxErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (OutboxErrors.is(e, 'PB_OUTBOX_INVALID_OPTIONS')) console.error(e.message);
 * ```
 */
export const OutboxErrors = defineErrorRegistry('@plugboard/outbox', OUTBOX_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isOutboxError(e, 'PB_OUTBOX_INVALID_OPTIONS')) console.error(e.code, e.message); }
 * ```
 */
export const isOutboxError = OutboxErrors.is;
