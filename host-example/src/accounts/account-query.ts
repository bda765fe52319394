import { rankOf } from '../authorization';
import { likePattern } from '../common/list-page';
import { isSuperAdmin } from '../common/roles';
import type { Database } from '../db';
import { BUILTIN_ROLES, type User } from '../model';
import { toUser, type UserRow } from '../repository-rows';

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
 * const rows = accountRows(db, { actor, q: 'ann', take: 51 });
 * ```
 */
export function accountRows(db: Database, o: AccountRowsQuery): User[] {
  const like = likePattern(o.q);
  const where = ["(username LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')"];
  const args: unknown[] = [like, like, like, like];
  if (!isSuperAdmin(o.actor)) {
    const peers = BUILTIN_ROLES.filter((role) => rankOf({ role }) >= rankOf(o.actor));
    where.push(`role NOT IN (${peers.map(() => '?').join(', ')})`);
    where.push('EXISTS (SELECT 1 FROM mailboxes m JOIN domains d ON d.id = m.domain_id WHERE m.user_id = users.id AND d.owner_id = ?)');
    args.push(...peers, o.actor.id);
  }
  if (o.after !== undefined) {
    where.push('id > ?');
    args.push(o.after);
  }
  const rows = db.sql.prepare(`SELECT * FROM users WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...args, o.take) as UserRow[];
  return rows.map(toUser);
}
