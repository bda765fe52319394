import { PlugboardError } from '@plugboard/core';
import type { SqlErrorCode } from './error-codes';
export type { SqlErrorCode };

/**
 * An error of the query layer (bad target, unknown schema, failed migration…). Match on `code`.
 *
 * @example
 * ```ts
 * try { await SqlDatabase.open(url); }
 * catch (e) { if (e instanceof SqlError && e.code === 'PB_SQL_DATABASE') console.error(e.message); }
 * ```
 */
export class SqlError extends PlugboardError {
  declare readonly code: SqlErrorCode;

  constructor(code: SqlErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
