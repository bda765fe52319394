/** The works on `users` (accounts): reads, writes and what a deletion releases. */
import { all, exec, first, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { User } from '../model';
import { now, toUser } from '../repository-rows';
import type { HostTables } from './host-tables';

type K = Kysely<HostTables>;

/** A new account's columns (flags as booleans). */
export interface NewUserRow {
  username: string;
  passwordHash: string;
  role: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  enabled?: boolean;
  external?: boolean;
  ownerId: number | null;
}

/** Changes to an account's columns; absent ones stay. */
export interface UserPatch {
  username?: string;
  role?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  enabled?: boolean;
}

export function* byId(k: K, id: number): Work<User | undefined> {
  const r = yield* first(k.selectFrom('users').selectAll().where('id', '=', id));
  return r && toUser(r);
}

/** By username, ignoring case (the column compares without it on both dialects). */
export function* byName(k: K, username: string): Work<User | undefined> {
  const r = yield* first(k.selectFrom('users').selectAll().where('username', '=', username));
  return r && toUser(r);
}

export function* passwordHash(k: K, id: number): Work<string | undefined> {
  return (yield* first(k.selectFrom('users').select('password_hash').where('id', '=', id)))?.password_hash;
}

export function* list(k: K): Work<User[]> {
  return (yield* all(k.selectFrom('users').selectAll().orderBy('id'))).map(toUser);
}

export function* count(k: K): Work<number> {
  const r = yield* first(k.selectFrom('users').select((eb) => eb.fn.countAll().as('n')));
  // PostgreSQL counts in bigint, which pg hands over as a string.
  return Number(r?.n ?? 0);
}

export function* insert(k: K, u: NewUserRow): Work<User> {
  const row = yield* first(
    k
      .insertInto('users')
      .values({
        username: u.username,
        password_hash: u.passwordHash,
        role: u.role,
        first_name: u.firstName ?? '',
        last_name: u.lastName ?? '',
        email: u.email ?? '',
        mobile: u.mobile ?? '',
        enabled: u.enabled === false ? 0 : 1,
        external: u.external === true ? 1 : 0,
        owner_id: u.ownerId,
        password_changed_at: null,
        created_at: now(),
      })
      .returning('id'),
  );
  return (yield* byId(k, Number(row?.id))) as User;
}

export function* update(k: K, id: number, patch: UserPatch): Work<User> {
  const set = {
    username: patch.username,
    role: patch.role,
    first_name: patch.firstName,
    last_name: patch.lastName,
    email: patch.email,
    mobile: patch.mobile,
    enabled: patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0,
  };
  // Kysely leaves undefined values out of SET; with none left there is nothing to write.
  if (Object.values(set).some((v) => v !== undefined)) yield* exec(k.updateTable('users').set(set).where('id', '=', id));
  return (yield* byId(k, id)) as User;
}

export function* setPassword(k: K, id: number, hash: string): Work<void> {
  yield* exec(k.updateTable('users').set({ password_hash: hash, password_changed_at: now() }).where('id', '=', id));
}

export function* remove(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('users').where('id', '=', id));
}

/**
 * Before deleting a user: what she created but does not own by right (aliases) goes to the
 * owner of the domain it belongs to, and accounts she created forget their creator. Her
 * domains and relay domains are never moved here (the policy refuses to delete her first).
 */
export function* releaseCreatedBy(k: K, userId: number): Work<void> {
  yield* exec(
    k
      .updateTable('domain_aliases')
      .set((eb) => ({ owner_id: eb.selectFrom('domains').select('domains.owner_id').whereRef('domains.id', '=', 'domain_aliases.target_id') }))
      .where('owner_id', '=', userId),
  );
  yield* exec(
    k
      .updateTable('mailbox_aliases')
      .set((eb) => ({ owner_id: eb.selectFrom('domains').select('domains.owner_id').whereRef('domains.id', '=', 'mailbox_aliases.domain_id') }))
      .where('owner_id', '=', userId),
  );
  yield* exec(
    k
      .updateTable('relay_domain_aliases')
      .set((eb) => ({ owner_id: eb.selectFrom('relay_domains').select('relay_domains.owner_id').whereRef('relay_domains.id', '=', 'relay_domain_aliases.target_id') }))
      .where('owner_id', '=', userId),
  );
  yield* exec(k.updateTable('users').set({ owner_id: null }).where('owner_id', '=', userId));
}
