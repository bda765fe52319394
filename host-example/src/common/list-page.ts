import { invalid } from '../errors';

/** What a paged listing is asked: a search text, a page size and where the previous page ended. */
export interface ListQuery {
  /** Case-insensitive substring searched for (empty or absent: everything). */
  readonly q?: string;
  /** Page size, 1..200 (default 50). */
  readonly limit?: number;
  /** The `nextCursor` of the previous page (absent: the first page). */
  readonly cursor?: string;
}

/** One page of a listing; `nextCursor` is there only when more items follow. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** The default and largest page sizes. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** The page size asked for, checked (400 naming `limit` outside 1..200). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalid('limit', `use a whole number from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`);
  return limit;
}

/** A sort key a cursor can carry: a value, or a tuple compared element by element (a rule's `[ordering, id]`). */
export type CursorKey = string | number | readonly (string | number)[];

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

/**
 * An opaque cursor for the sort key of a page's last item (base64url of its JSON), so callers
 * never build one themselves and the ordering can change without breaking their code. One
 * codec for every list, paged in SQL or in memory.
 *
 * @example
 * ```ts
 * const next = encodeCursor('beta.test'); // later: decodeCursor(next) === 'beta.test'
 * ```
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function refused(): Error {
  return invalid('cursor', 'not a cursor of this listing; pass the nextCursor of the previous page unchanged, or leave it out for the first page.');
}

/** The sort key a cursor carries; anything not made by {@link encodeCursor} is a 400 naming `cursor`. */
export function decodeCursorKey(cursor: string | undefined): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  const key = (parsed as { k?: unknown } | undefined)?.k;
  if (isScalar(key)) return key;
  if (Array.isArray(key) && key.length > 0 && key.every(isScalar)) return key as (string | number)[];
  throw refused();
}

/** {@link decodeCursorKey} for lists keyed by one text (names, ids as text). */
export function decodeCursor(cursor: string | undefined): string | undefined {
  const key = decodeCursorKey(cursor);
  if (key !== undefined && typeof key !== 'string') throw refused();
  return key;
}

/** A LIKE pattern matching `q` anywhere, with `%`, `_` and `\` taken literally (`ESCAPE '\'`). */
export function likePattern(q: string | undefined): string {
  return `%${(q ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Cuts the `limit + 1` rows a query read into a page: the extra row only says that more follow. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => string): ListPage<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1])) };
}
