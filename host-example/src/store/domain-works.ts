/** The works on `domains` and `domain_aliases`, and the domain-name uniqueness lookup. */
import { all, exec, first, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { NamedKind } from '../hooks';
import type { Domain, DomainAlias } from '../model';
import { now, toAlias, toDomain } from '../repository-rows';
import type { HostTables } from './host-tables';

type K = Kysely<HostTables>;

export function* byId(k: K, id: number): Work<Domain | undefined> {
  const r = yield* first(k.selectFrom('domains').selectAll().where('id', '=', id));
  return r && toDomain(r);
}

export function* byName(k: K, name: string): Work<Domain | undefined> {
  const r = yield* first(k.selectFrom('domains').selectAll().where('name', '=', name));
  return r && toDomain(r);
}

export function* list(k: K): Work<Domain[]> {
  return (yield* all(k.selectFrom('domains').selectAll().orderBy('name'))).map(toDomain);
}

export function* ownedBy(k: K, ownerId: number): Work<Domain[]> {
  return (yield* all(k.selectFrom('domains').selectAll().where('owner_id', '=', ownerId).orderBy('name'))).map(toDomain);
}

export function* insert(k: K, d: { name: string; quota: number; enabled: boolean; ownerId: number }): Work<Domain> {
  const row = yield* first(k.insertInto('domains').values({ name: d.name, quota: d.quota, enabled: d.enabled ? 1 : 0, owner_id: d.ownerId, created_at: now() }).returning('id'));
  return (yield* byId(k, Number(row?.id))) as Domain;
}

export function* update(k: K, id: number, patch: { name?: string; quota?: number; enabled?: boolean; ownerId?: number }): Work<Domain> {
  const enabled = patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0;
  const set = { name: patch.name, quota: patch.quota, enabled, owner_id: patch.ownerId };
  if (Object.values(set).some((v) => v !== undefined)) yield* exec(k.updateTable('domains').set(set).where('id', '=', id));
  return (yield* byId(k, id)) as Domain;
}

export function* remove(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('domains').where('id', '=', id));
}

function aliases(k: K) {
  return k.selectFrom('domain_aliases as a').innerJoin('domains as d', 'd.id', 'a.target_id').selectAll('a').select('d.name as target_name');
}

export function* aliasById(k: K, id: number): Work<DomainAlias | undefined> {
  const r = yield* first(aliases(k).where('a.id', '=', id));
  return r && toAlias(r);
}

export function* aliasList(k: K): Work<DomainAlias[]> {
  return (yield* all(aliases(k).orderBy('a.name'))).map(toAlias);
}

export function* insertAlias(k: K, a: { name: string; targetId: number; ownerId: number }): Work<DomainAlias> {
  const row = yield* first(k.insertInto('domain_aliases').values({ name: a.name, target_id: a.targetId, owner_id: a.ownerId }).returning('id'));
  return (yield* aliasById(k, Number(row?.id))) as DomainAlias;
}

export function* removeAlias(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('domain_aliases').where('id', '=', id));
}

const NAMED_TABLES = { domain: 'domains', domainalias: 'domain_aliases', relaydomain: 'relay_domains', relaydomainalias: 'relay_domain_aliases' } as const;

/** Whether an object of `kind` already uses `name` (the domain-name uniqueness rule). */
export function* nameTaken(k: K, kind: NamedKind, name: string, exceptId?: number): Work<boolean> {
  const r = yield* first(k.selectFrom(NAMED_TABLES[kind]).select('id').where('name', '=', name));
  return r !== undefined && r.id !== exceptId;
}
