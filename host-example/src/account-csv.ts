import type { User } from './model';

/**
 * The mobile number's field on an account CSV line: `mobile=+491701234567`, after everything
 * else (quota and the `AccountExported` extras). Tagged and last, so files written before it
 * existed import unchanged and extension extras keep their positions.
 */
const MOBILE_PREFIX = 'mobile=';
/** Fields before the extras: account; username; password; first; last; enabled; role; email; quota. */
const FIXED_FIELDS = 9;

/** The trailing field to export for this account: none when it has no mobile number (lines stay as before). */
export function mobileCsvField(account: User): string[] {
  return account.mobile !== undefined && account.mobile !== '' ? [`${MOBILE_PREFIX}${account.mobile}`] : [];
}

function lastIsMobile(row: readonly string[]): boolean {
  return row.length > FIXED_FIELDS && (row[row.length - 1] ?? '').trim().startsWith(MOBILE_PREFIX);
}

/** The mobile number of an imported account line, or undefined when the line has none. */
export function mobileOfRow(row: readonly string[]): string | undefined {
  return lastIsMobile(row) ? (row[row.length - 1] ?? '').trim().slice(MOBILE_PREFIX.length) : undefined;
}

/** The extension extras of an imported account line (what `AccountImported` receives), without the mobile field. */
export function extrasOfRow(row: readonly string[]): string[] {
  return row.slice(FIXED_FIELDS, lastIsMobile(row) ? -1 : undefined);
}
