import { all, type Work } from '@plugboard/sql';
import { sql, type Kysely } from 'kysely';
import { likePattern } from '../common/list-page';
import type { Domain } from '../model';
import { toDomain } from '../repository-rows';
import type { HostTables } from '../store/host-tables';

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
 * One page of domains in name order, searched and cut in SQL (the name column ignores case:
 * `COLLATE NOCASE` on SQLite, `citext` on PostgreSQL, so both the search and the ordering do),
 * never by reading every row.
 *
 * @example
 * ```ts
 * const rows = await repo.run(domainRows(repo.k, { q: 'exa', after: 'alpha.test', take: 51 }));
 * ```
 */
export function* domainRows(k: Kysely<HostTables>, o: DomainRowsQuery): Work<Domain[]> {
  let query = k.selectFrom('domains').selectAll().where(sql<boolean>`name LIKE ${likePattern(o.q)} ESCAPE '\\'`);
  if (o.ownerId !== undefined) query = query.where('owner_id', '=', o.ownerId);
  if (o.after !== undefined) query = query.where('name', '>', o.after);
  return (yield* all(query.orderBy('name').limit(o.take))).map(toDomain);
}
