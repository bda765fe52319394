/** The works on `sessions`: a login's token (hashed), its user and expiry. */
import { exec, first, param, prepareFor, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { User } from '../model';
import { toUser } from '../repository-rows';
import type { HostTables } from '../store/host-tables';

type K = Kysely<HostTables>;

export function* open(k: K, tokenHash: string, userId: number, created: Date, expires: Date): Work<void> {
  yield* exec(k.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, created_at: created.toISOString(), expires_at: expires.toISOString() }));
}

const sessionUser = prepareFor((k: K) =>
  k.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').selectAll('users').select('sessions.expires_at').where('sessions.token_hash', '=', param<string>('tokenHash')),
);

/** The user of a session with the session's expiry: one query, compiled once, as every authenticated request makes it. */
export function* userOf(k: K, tokenHash: string): Work<{ user: User; expiresAt: string } | undefined> {
  const row = yield* first(sessionUser(k, { tokenHash }));
  return row && { user: toUser(row), expiresAt: row.expires_at };
}

export function* end(k: K, tokenHash: string): Work<void> {
  yield* exec(k.deleteFrom('sessions').where('token_hash', '=', tokenHash));
}
