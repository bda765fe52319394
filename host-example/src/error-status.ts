/**
 * The HTTP status of every code the API can answer with: one table, checked by the compiler
 * to cover every code of every registry the host uses (core, its plugins, its own), and read by
 * the API's error handler. A code outside the table (a foreign package's) answers 500.
 */
import type { CoreErrorCode } from '@plugboard/core';
import type { NotifyErrorCode } from '@plugboard/notify';
import type { OutboxErrorCode } from '@plugboard/outbox';
import type { RedisBridgeErrorCode } from '@plugboard/redis';
import type { RulesErrorCode } from '@plugboard/rules';
import type { ScriptsErrorCode } from '@plugboard/scripts';
import type { SqlErrorCode } from '@plugboard/sql';
import type { WebhookErrorCode } from '@plugboard/webhooks';
import type { HOST_ERRORS } from './error-codes';
import { HOST_ERROR_STATUS } from './errors';

/** Every code the API can surface. */
export type ApiErrorCode =
  | CoreErrorCode
  | NotifyErrorCode
  | OutboxErrorCode
  | 'PB_OUTBOX_PERMANENT'
  | 'PB_OUTBOX_RETRYABLE'
  | RedisBridgeErrorCode
  | RulesErrorCode
  | ScriptsErrorCode
  | SqlErrorCode
  | WebhookErrorCode
  | keyof typeof HOST_ERRORS;

/** The status answered for a code the table does not know (an error of a package the host does not use). */
export const DEFAULT_ERROR_STATUS = 500;

/** Code → HTTP status. 4xx: the client can fix the request; 500: the server or an extension failed. */
export const API_ERROR_STATUS = {
  // core
  PB_LISTENER_FAILED: 500,
  PB_LISTENER_TIMEOUT: 500,
  PB_INVALID_RESULT: 500,
  PB_LISTENERS_FAILED: 500,
  PB_UNKNOWN_HOOK: 500,
  PB_INVALID_DEFINITION: 400,
  PB_INVALID_ARGUMENTS: 400,
  // Kept from the old suffix rule (`_UNKNOWN`): the extension named by before/after is not there.
  PB_ORDER_UNKNOWN: 404,
  PB_ORDER_CYCLE: 500,
  PB_MERGE_CONFLICT: 500,
  PB_EXT_INVALID: 500,
  PB_EXT_DUPLICATE: 500,
  PB_EXT_UNKNOWN: 404,
  PB_EXT_CONSTRUCT_FAILED: 500,
  PB_EXT_ENABLE_FAILED: 500,
  PB_EXT_DISABLE_FAILED: 500,
  PB_EXT_REQUIRES: 409,
  PB_EXT_REQUIRED_BY: 409,
  PB_EXT_NO_CONTEXT: 500,
  PB_EXT_TIMEOUT: 500,
  PB_MANIFEST_MISSING: 500,
  PB_MANIFEST_INVALID: 400,
  PB_EXT_INCOMPATIBLE: 500,
  PB_PKG_IMPORT_FAILED: 500,
  PB_PKG_DEPENDENCY_MISSING: 500,
  PB_PKG_EMPTY: 500,
  // Untrusted packages: the host always passes sandbox options, so this means a misconfigured host.
  PB_PKG_UNTRUSTED: 500,
  // Sandbox failures surface as listener errors or failed packages, never as the client's fault.
  PB_SANDBOX_LOAD_FAILED: 500,
  PB_SANDBOX_CPU_LIMIT: 500,
  PB_SANDBOX_MEMORY_LIMIT: 500,
  PB_SANDBOX_EXITED: 500,
  PB_SANDBOX_CRASHED: 500,
  PB_SANDBOX_NOT_CLONEABLE: 500,
  PB_SANDBOX_SYNC_HOOK: 500,
  PB_SANDBOX_GAVE_UP: 500,
  PB_SANDBOX_NO_SERVICE: 500,
  PB_SECRET_KEY_MISSING: 500,
  PB_SECRET_KEY_MISMATCH: 500,
  // A bad key is the server's configuration, not the client's input (the old suffix regex said 400).
  PB_SECRET_KEY_INVALID: 500,
  // plugins/notify
  PB_NOTIFY_INVALID_CONFIG: 400,
  PB_NOTIFY_CONFIG_NOT_FOUND: 404,
  PB_NOTIFY_CONFIG_EXISTS: 409,
  PB_NOTIFY_UNKNOWN_TAG: 500,
  PB_NOTIFY_UNKNOWN_ACTION: 400,
  PB_NOTIFY_INVALID_OPTION: 400,
  PB_NOTIFY_NO_RECIPIENT: 500,
  PB_NOTIFY_NO_DIRECTORY: 500,
  PB_NOTIFY_HOOK_CONFIG: 400,
  PB_NOTIFY_SEND_FAILED: 500,
  PB_NOTIFY_TEST_FAILED: 502,
  // plugins/outbox
  PB_OUTBOX_INVALID_OPTIONS: 400,
  PB_OUTBOX_INVALID_PAYLOAD: 400,
  PB_OUTBOX_DUPLICATE_CHANNEL: 409,
  PB_OUTBOX_UNKNOWN_CHANNEL: 500,
  PB_OUTBOX_UNKNOWN_MESSAGE: 404,
  PB_OUTBOX_NOT_RETRYABLE: 409,
  PB_OUTBOX_CLOSED: 500,
  PB_OUTBOX_STOPPED: 500,
  PB_OUTBOX_DRAIN_TIMEOUT: 500,
  PB_OUTBOX_ATTEMPT_TIMEOUT: 500,
  PB_OUTBOX_SCHEMA: 500,
  PB_OUTBOX_MIGRATION: 500,
  PB_OUTBOX_DATABASE: 500,
  PB_OUTBOX_PERMANENT: 500,
  PB_OUTBOX_RETRYABLE: 500,
  // plugins/sql
  PB_SQL_DATABASE: 503,
  PB_SQL_DIALECT: 500,
  PB_SQL_BIND: 500,
  PB_SQL_MIGRATION: 500,
  PB_SQL_SCHEMA: 500,
  PB_SQL_CLOSED: 503,
  // plugins/redis
  PB_REDIS_INVALID_NAME: 400,
  PB_REDIS_INVALID_PAYLOAD: 400,
  PB_REDIS_CONFIG: 500,
  PB_REDIS_VOLATILE: 500,
  PB_REDIS_CLOSED: 500,
  PB_REDIS_PUBLISH_FAILED: 500,
  // plugins/rules
  PB_RULES_INVALID: 400,
  PB_RULES_NOT_FOUND: 404,
  PB_RULES_ABORTED: 403,
  PB_RULES_ACTION_FAILED: 409,
  PB_RULES_UNKNOWN_MODULE: 500,
  PB_RULES_DUPLICATE_MODULE: 500,
  PB_RULES_UNKNOWN_TAG: 500,
  PB_RULES_SCHEMA: 500,
  // plugins/scripts
  // Like the other invalid-input codes (the old suffix regex missed it: two words after _INVALID).
  PB_SCRIPTS_INVALID_EVENT_NAME: 400,
  PB_SCRIPTS_INVALID_PAYLOAD: 400,
  PB_SCRIPTS_INVALID_OPTIONS: 400,
  PB_SCRIPTS_UNKNOWN_ACTION: 400,
  PB_SCRIPTS_DIRECTORY_NOT_ALLOWED: 500,
  PB_SCRIPTS_OUTSIDE_HANDLER: 500,
  PB_SCRIPTS_NO_HANDLER: 500,
  PB_SCRIPTS_HANDLER_ABORTED: 500,
  PB_SCRIPTS_HANDLER_TIMEOUT: 500,
  // plugins/webhooks
  PB_WEBHOOK_ADDRESS_REFUSED: 400,
  PB_WEBHOOK_DELIVERY_FAILED: 500,
  PB_WEBHOOK_ENDPOINT_INVALID: 400,
  PB_WEBHOOK_ENDPOINT_UNKNOWN: 404,
  PB_WEBHOOK_ENDPOINT_EXISTS: 409,
  PB_WEBHOOK_TRIGGER_INVALID: 400,
  PB_WEBHOOK_TRIGGER_UNKNOWN: 404,
  PB_WEBHOOK_TRIGGER_EXISTS: 409,
  PB_WEBHOOK_UNKNOWN_ACTION: 400,
  PB_WEBHOOK_INVALID_OPTION: 400,
  // host-example
  ...HOST_ERROR_STATUS,
  PB_HOST_INTERNAL: 500,
} as const satisfies Record<ApiErrorCode, number>;

/**
 * The HTTP status of an error code, from {@link API_ERROR_STATUS}.
 *
 * @example
 * ```ts
 * apiStatus('PB_RULES_NOT_FOUND'); // 404
 * ```
 */
export function apiStatus(code: string): number {
  return Object.hasOwn(API_ERROR_STATUS, code) ? API_ERROR_STATUS[code as ApiErrorCode] : DEFAULT_ERROR_STATUS;
}
