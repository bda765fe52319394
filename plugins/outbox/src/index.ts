/**
 * @plugboard/outbox — durable outbox on SQLite or PostgreSQL: at-least-once delivery with retries, exponential
 * backoff with jitter, dead letters and crash recovery.
 */
export { Outbox } from './outbox';
export { messagesByMeta } from './messages-by-meta';
export type { OutboxOptions } from './outbox-options';
export { PgOutbox } from './pg/pg-outbox';
export type { DurableOutbox, Maybe } from './durable-outbox';
export type { PgOutboxOptions } from './pg/pg-outbox';
export { openOutbox } from './open-outbox';
export { migrateOutbox } from './schema/migrate';
export type { OutboxTables, OutboxMessagesTable, OutboxAttemptsTable, OutboxDialect } from './schema/tables';
export { WalCheckpointer, isCheckpointMode } from './wal-checkpointer';
export type { WalCheckpointerOptions, CheckpointResult, CheckpointMode } from './wal-checkpointer';
export { OutboxError, PermanentDeliveryError, RetryableDeliveryError } from './errors';
export type { OutboxErrorCode, DeliveryErrorOptions } from './errors';
export { backoffDelay, retryDelay, resolveBackoff, DEFAULT_BACKOFF } from './backoff';
export type { ResolvedBackoff } from './backoff';
export { SCHEMA_VERSION } from './migrations';
export { OUTBOX_STATES } from './types';
export type {
  OutboxState,
  OutboxMessage,
  Deliverer,
  DeliveryReceipt,
  AttemptOutcome,
  AttemptRecord,
  BackoffOptions,
  OutboxLogger,
  EnqueueOptions,
  ListFilter,
  DrainOptions,
  StopOptions,
  PurgeOptions,
  QueuedMessage,
  DeliveredInfo,
  RetryInfo,
  DeadInfo,
  UnroutableInfo,
  OutboxEvents,
} from './types';
export { OUTBOX_ERRORS, OUTBOX_LOG_CODES, OutboxErrors, isOutboxError } from './error-codes';
