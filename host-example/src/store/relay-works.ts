/** The works on `relay_domains` and `relay_domain_aliases`. */
import { all, exec, first, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { RelayDomain, RelayDomainAlias } from '../model';
import { now, toAlias, toRelay } from '../repository-rows';
import type { HostTables } from './host-tables';

type K = Kysely<HostTables>;

export function* byId(k: K, id: number): Work<RelayDomain | undefined> {
  const r = yield* first(k.selectFrom('relay_domains').selectAll().where('id', '=', id));
  return r && toRelay(r);
}

export function* list(k: K): Work<RelayDomain[]> {
  return (yield* all(k.selectFrom('relay_domains').selectAll().orderBy('name'))).map(toRelay);
}

export function* insert(k: K, d: { name: string; targetHost: string; service: string; ownerId: number }): Work<RelayDomain> {
  const row = yield* first(k.insertInto('relay_domains').values({ name: d.name, target_host: d.targetHost, service: d.service, owner_id: d.ownerId, created_at: now() }).returning('id'));
  return (yield* byId(k, Number(row?.id))) as RelayDomain;
}

export function* update(k: K, id: number, patch: { name?: string; targetHost?: string; service?: string; enabled?: boolean }): Work<RelayDomain> {
  const enabled = patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0;
  const set = { name: patch.name, target_host: patch.targetHost, service: patch.service, enabled };
  if (Object.values(set).some((v) => v !== undefined)) yield* exec(k.updateTable('relay_domains').set(set).where('id', '=', id));
  return (yield* byId(k, id)) as RelayDomain;
}

export function* remove(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('relay_domains').where('id', '=', id));
}

function aliases(k: K) {
  return k.selectFrom('relay_domain_aliases as a').innerJoin('relay_domains as d', 'd.id', 'a.target_id').selectAll('a').select('d.name as target_name');
}

export function* aliasById(k: K, id: number): Work<RelayDomainAlias | undefined> {
  const r = yield* first(aliases(k).where('a.id', '=', id));
  return r && toAlias(r);
}

export function* aliasList(k: K): Work<RelayDomainAlias[]> {
  return (yield* all(aliases(k).orderBy('a.name'))).map(toAlias);
}

export function* insertAlias(k: K, a: { name: string; targetId: number; ownerId: number }): Work<RelayDomainAlias> {
  const row = yield* first(k.insertInto('relay_domain_aliases').values({ name: a.name, target_id: a.targetId, owner_id: a.ownerId }).returning('id'));
  return (yield* aliasById(k, Number(row?.id))) as RelayDomainAlias;
}

export function* removeAlias(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('relay_domain_aliases').where('id', '=', id));
}
