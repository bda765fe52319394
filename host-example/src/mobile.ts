import { invalid } from './errors';

/** E.164: "+", a country code not starting with 0, 8–15 digits in all. */
const E164 = /^\+[1-9][0-9]{7,14}$/;
/** What people type between digit groups; dropped so one number is stored one way. */
const SEPARATORS = /[\s()./-]/g;

/**
 * A mobile number as stored: E.164 without separators, `''` to clear it, `undefined` when not
 * given (no change).
 *
 * @throws HostError `PB_HOST_INVALID` naming the field, for anything that is not E.164.
 * @example
 * ```ts
 * normalizeMobile('+49 170 123-4567'); // '+491701234567'
 * normalizeMobile('0170 1234567');     // throws: Invalid "mobile": use the international format…
 * ```
 */
export function normalizeMobile(value: string | undefined, field = 'mobile'): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return '';
  const compact = trimmed.replace(SEPARATORS, '');
  if (!E164.test(compact)) {
    throw invalid(
      field,
      `${JSON.stringify(value)} is not a mobile number in international format; write "+", the country code and the number (8–15 digits, e.g. "+49 170 1234567"), or "" to remove it.`,
    );
  }
  return compact;
}

/** The mobile field of account input (API, CLI, CSV import). */
export interface MobileInput {
  /** E.164, separators allowed (`+49 170 1234567`); `''` removes the number. */
  readonly mobile?: string;
}
