import type { Database } from '../db';
import { likePattern } from '../common/list-page';
import type { Domain } from '../model';
import { toDomain, type DomainRow } from '../repository-rows';

/** What {@link domainRows} reads: whose domains (all when `ownerId` is absent), a search and a page. */
export interface DomainRowsQuery {
  readonly ownerId?: number;
  readonly q?: string;
  /** The name the previous page ended at. */
  readonly after?: string;
  /** Rows to read (a page and one more, to know whether more follow). */
  readonly take: number;
}

/**
 * One page of domains in name order, searched and cut in SQL (the name column is `COLLATE NOCASE`,
 * so both the search and the ordering ignore ASCII case), never by reading every row.
 *
 * @example
 * ```ts
 * const rows = domainRows(db, { q: 'exa', after: 'alpha.test', take: 51 });
 * ```
 */
export function domainRows(db: Database, o: DomainRowsQuery): Domain[] {
  const where = ["name LIKE ? ESCAPE '\\'"];
  const args: unknown[] = [likePattern(o.q)];
  if (o.ownerId !== undefined) {
    where.push('owner_id = ?');
    args.push(o.ownerId);
  }
  if (o.after !== undefined) {
    where.push('name > ?');
    args.push(o.after);
  }
  const rows = db.sql.prepare(`SELECT * FROM domains WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`).all(...args, o.take) as DomainRow[];
  return rows.map(toDomain);
}
