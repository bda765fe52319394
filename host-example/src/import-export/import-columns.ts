import { HostError } from '../errors';

/**
 * The columns (the type included) each built-in row type needs. Fewer is refused before any
 * importer runs, so a short row says so instead of failing on whatever column came out empty.
 * More are allowed: accounts carry extension extras and `mobile=`, aliases more recipients.
 */
const REQUIRED_COLUMNS: Readonly<Record<string, number>> = {
  domain: 2,
  domainalias: 3,
  account: 9,
  alias: 4,
  relaydomain: 3,
};

/**
 * The error of a built-in row with too few columns (`csv line N: expected K columns, got M`), if it has.
 *
 * @example
 * ```ts
 * missingColumns(3, ['account', 'joe@example.com']); // csv line 3: expected 9 columns, got 2 (…)
 * ```
 */
export function missingColumns(line: number, fields: readonly string[]): HostError | undefined {
  const objtype = (fields[0] ?? '').toLowerCase();
  const required = REQUIRED_COLUMNS[objtype];
  if (required === undefined || fields.length >= required) return undefined;
  const field = `csv line ${line}`;
  return new HostError('PB_HOST_INVALID', `${field}: expected ${required} columns, got ${fields.length} (GET /api/import/help lists the formats).`, { field });
}
