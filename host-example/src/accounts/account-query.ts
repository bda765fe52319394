import { all, type Work } from '@plugboard/sql';
import { sql, type Kysely } from 'kysely';
import { rankOf } from '../authorization';
import { likePattern } from '../common/list-page';
import { isSuperAdmin } from '../common/roles';
import { BUILTIN_ROLES, type User } from '../model';
import { toUser } from '../repository-rows';
import type { HostTables } from '../store/host-tables';

/** What {@link accountRows} reads: for whom, a search and a page. */
export interface AccountRowsQuery {
  readonly actor: User;
  readonly q?: string;
  /** The id the previous page ended at. */
  readonly after?: number;
  /** Rows to read (a page and one more, to know whether more follow). */
  readonly take: number;
}

/**
 * One page of the accounts an actor manages, in creation (id) order as the listing always was, searched (username, e-mail, first
 * and last name; ASCII case ignored by `LIKE`) and cut in SQL. The access rule is `AccessPolicy`'s,
 * written as SQL so a reseller's page is not found by reading everyone: below the actor's rank, with
 * a mailbox in a domain the actor owns now (SuperAdmins: everyone).
 *
 * @example
 * ```ts
 * const rows = await repo.run(accountRows(repo.k, { actor, q: 'ann', take: 51 }));
 * ```
 */
export function* accountRows(k: Kysely<HostTables>, o: AccountRowsQuery): Work<User[]> {
  const like = likePattern(o.q);
  const matches = (column: string) => sql<boolean>`${sql.ref(column)} LIKE ${like} ESCAPE '\\'`;
  let query = k.selectFrom('users').selectAll().where((eb) => eb.or([matches('username'), matches('email'), matches('first_name'), matches('last_name')]));
  if (!isSuperAdmin(o.actor)) {
    const peers = BUILTIN_ROLES.filter((role) => rankOf({ role }) >= rankOf(o.actor));
    query = query
      .where('role', 'not in', peers)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('mailboxes as m')
            .innerJoin('domains as d', 'd.id', 'm.domain_id')
            .select(sql.lit(1).as('one'))
            .whereRef('m.user_id', '=', 'users.id')
            .where('d.owner_id', '=', o.actor.id),
        ),
      );
  }
  if (o.after !== undefined) query = query.where('id', '>', o.after);
  return (yield* all(query.orderBy('id').limit(o.take))).map(toUser);
}
