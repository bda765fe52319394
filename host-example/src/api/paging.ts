import { invalid } from '../errors';
import { DEFAULT_LIMIT, decodeCursorKey, encodeCursor, type CursorKey } from '../common/list-page';

/**
 * The query parameters of a paged list: `q` (case-insensitive search), `limit` (1..200, default
 * 50) and `cursor` (the `nextCursor` of the previous page). Values are strings because the API
 * never coerces; the patterns check them.
 */
export const pageParams = {
  q: { type: 'string', maxLength: 200, description: 'Case-insensitive search in the listed fields.' },
  limit: { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9]{2}|200)$', description: 'Page size, 1..200 (default 50).' },
  cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,400}$', description: 'The `nextCursor` of the previous page.' },
} as const;

/** A paged list's query, as the route receives it. */
export interface PageQuery {
  readonly q?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

/** One page: the items, and the cursor of the next page (`null` on the last one). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** How a list is ordered and searched. */
export interface PageOrder<T> {
  /** The unique, stable sort key of an item (its id or name, or a tuple such as a rule's `[ordering, id]`). */
  readonly key: (item: T) => Key;
  /** The fields `q` searches. */
  readonly text: (item: T) => readonly (string | number | null | undefined)[];
}

/** A sort key: a value, or a tuple compared element by element. */
export type Key = CursorKey;

function compareOne(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(a: Key, b: Key): number {
  const [xs, ys] = [typeof a === 'object' ? a : [a], typeof b === 'object' ? b : [b]];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compareOne(xs[i], ys[i]);
    if (c !== 0) return c;
  }
  return xs.length - ys.length;
}

/**
 * One page of a list: searched by `q`, ordered by key, after the cursor's key (keyset paging,
 * so an item added or removed meanwhile never shifts the next page).
 *
 * @example
 * ```ts
 * const { items, nextCursor } = pageOf(aliases, req.query as PageQuery, { key: (a) => a.id, text: (a) => [a.name, a.target] });
 * ```
 */
export function pageOf<T>(all: readonly T[], query: PageQuery, order: PageOrder<T>): Page<T> {
  const limit = query.limit !== undefined ? Number(query.limit) : DEFAULT_LIMIT;
  const needle = query.q?.trim().toLowerCase() ?? '';
  const after = decodeCursorKey(query.cursor);
  const matching = all
    .filter((item) => needle === '' || order.text(item).some((t) => t !== null && t !== undefined && String(t).toLowerCase().includes(needle)))
    .filter((item) => after === undefined || compare(order.key(item), after) > 0)
    .sort((a, b) => compare(order.key(a), order.key(b)));
  const items = matching.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: matching.length > limit && last !== undefined ? encodeCursor(order.key(last)) : null };
}

/**
 * The closed querystring schema of a paged list: `q`, `limit`, `cursor` and the list's own filters.
 *
 * @example
 * ```ts
 * app.get('/api/smtp', { schema: { querystring: pagedQuery() } }, handler);
 * ```
 */
export function pagedQuery(filters: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { type: 'object', properties: { ...pageParams, ...filters }, additionalProperties: false };
}

/**
 * Where a list paged in SQL by offset (the outbox, the rules log) starts: the offset inside its
 * cursor, else `offset`, else 0. The cursor stays opaque so the store may move to keyset paging.
 */
export function offsetOf(query: PageQuery & { readonly offset?: string }): number {
  if (query.cursor === undefined) return query.offset !== undefined ? Number(query.offset) : 0;
  const at = decodeCursorKey(query.cursor);
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0) throw invalid('cursor', 'This cursor was not issued by this list; pass the "nextCursor" of the previous page unchanged.');
  return at;
}

/** The cursor after an offset-paged page: `null` when the page was not full (nothing after it). */
export function nextOffsetCursor(offset: number, limit: number, returned: number): string | null {
  return returned === 0 || returned < limit ? null : encodeCursor(offset + returned);
}

/**
 * The 200 response schema of a paged list (for the OpenAPI document): the list under its field and
 * `nextCursor`. Items and other fields stay open, so the serializer never drops what a list carries.
 *
 * @example
 * ```ts
 * app.get('/api/smtp', { schema: { querystring: pagedQuery(), response: pagedResponse('configs') } }, handler);
 * ```
 */
export function pagedResponse(field: string): Record<string, unknown> {
  return {
    200: {
      type: 'object',
      properties: {
        [field]: { type: 'array', items: { type: 'object', additionalProperties: true } },
        nextCursor: { type: 'string', nullable: true, description: 'Pass it back as `cursor` for the next page; null on the last page.' },
      },
      required: [field, 'nextCursor'],
      additionalProperties: true,
    },
  };
}
