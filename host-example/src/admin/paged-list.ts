import type { FastifyRequest } from 'fastify';
import type { ListQuery } from '../common/list-page';
import { html, type SafeHtml } from './html';

/**
 * Where a paged admin list stands: the search, the cursor of the page shown, and the cursors of the
 * pages before it (`trail`), so "Previous" goes back although the listing's cursors only go forward.
 */
export interface ListPosition {
  readonly q: string;
  readonly cursor?: string;
  readonly trail: readonly string[];
}

/** Cursors are base64url: "." never occurs in one, so it separates them in the trail. */
const SEP = '.';

/** The position a list page's query asks for (`?q=&cursor=&trail=`). */
export function positionOf(req: FastifyRequest): ListPosition {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const text = (k: string): string => (typeof query[k] === 'string' ? (query[k] as string) : '');
  const cursor = text('cursor');
  return { q: text('q').trim(), ...(cursor !== '' ? { cursor } : {}), trail: text('trail').split(SEP).filter((c) => c !== '') };
}

/** The listing query of a position, for the service's `list`. */
export function listQueryAt(p: ListPosition, limit: number): ListQuery {
  return { limit, ...(p.q !== '' ? { q: p.q } : {}), ...(p.cursor !== undefined ? { cursor: p.cursor } : {}) };
}

/** The URL of a list page at a position. */
export function listUrl(base: string, p: ListPosition): string {
  const q = new URLSearchParams();
  if (p.q !== '') q.set('q', p.q);
  if (p.cursor !== undefined) q.set('cursor', p.cursor);
  if (p.trail.length > 0) q.set('trail', p.trail.join(SEP));
  const s = q.toString();
  return s === '' ? base : `${base}?${s}`;
}

/**
 * The search box of a list page (a plain GET form: the search is in the URL, so it can be
 * bookmarked and the back button works).
 *
 * @example
 * ```ts
 * searchBox('/admin/domains', position.q, 'Search domains', 'name contains…');
 * ```
 */
export function searchBox(action: string, q: string, label: string, hint: string): SafeHtml {
  return html`<form method="get" action="${action}" role="search" class="actions search" aria-label="${label}">
<label for="list-q">${label}</label> <input type="search" id="list-q" name="q" value="${q}" placeholder="${hint}" autocomplete="off">
<button type="submit" id="list-search">Search</button>${q !== '' ? html` <a href="${action}">Show all</a>` : ''}</form>`;
}

/** "Previous" and "Next" links of a list page (absent at either end). */
export function pager(base: string, p: ListPosition, nextCursor: string | undefined, what: string): SafeHtml {
  const previous: ListPosition | undefined =
    p.cursor === undefined ? undefined : { q: p.q, trail: p.trail.slice(0, -1), ...(p.trail.length > 0 ? { cursor: p.trail[p.trail.length - 1] } : {}) };
  const next: ListPosition | undefined = nextCursor === undefined ? undefined : { q: p.q, cursor: nextCursor, trail: p.cursor === undefined ? [] : [...p.trail, p.cursor] };
  if (previous === undefined && next === undefined) return html``;
  return html`<nav class="actions pager" aria-label="Pages of ${what}">${
    previous !== undefined ? html`<a href="${listUrl(base, previous)}" rel="prev" id="page-previous">Previous page</a>` : ''
  }${next !== undefined ? html`<a href="${listUrl(base, next)}" rel="next" id="page-next">Next page</a>` : ''}</nav>`;
}
