/** The works on `sessions`: a login's token (hashed), its user and expiry. */
import { exec, first, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { HostTables } from '../store/host-tables';

type K = Kysely<HostTables>;

export function* open(k: K, tokenHash: string, userId: number, created: Date, expires: Date): Work<void> {
  yield* exec(k.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, created_at: created.toISOString(), expires_at: expires.toISOString() }));
}

export function* find(k: K, tokenHash: string): Work<{ user_id: number; expires_at: string } | undefined> {
  return yield* first(k.selectFrom('sessions').select(['user_id', 'expires_at']).where('token_hash', '=', tokenHash));
}

export function* end(k: K, tokenHash: string): Work<void> {
  yield* exec(k.deleteFrom('sessions').where('token_hash', '=', tokenHash));
}
