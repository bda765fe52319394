/** The works on `mailboxes` (with their domain's name) and `mailbox_aliases`. */
import { all, exec, first, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { Mailbox, MailboxAlias } from '../model';
import { toMailbox, toMailboxAlias } from '../repository-rows';
import type { HostTables } from './host-tables';

type K = Kysely<HostTables>;

function mailboxes(k: K) {
  return k.selectFrom('mailboxes as m').innerJoin('domains as d', 'd.id', 'm.domain_id').select(['m.id', 'm.user_id', 'm.address', 'm.domain_id', 'd.name as domain_name', 'm.quota']);
}

export function* byId(k: K, id: number): Work<Mailbox | undefined> {
  const r = yield* first(mailboxes(k).where('m.id', '=', id));
  return r && toMailbox(r);
}

export function* ofUser(k: K, userId: number): Work<Mailbox | undefined> {
  const r = yield* first(mailboxes(k).where('m.user_id', '=', userId));
  return r && toMailbox(r);
}

export function* byAddress(k: K, local: string, domainId: number): Work<Mailbox | undefined> {
  const r = yield* first(mailboxes(k).where('m.address', '=', local).where('m.domain_id', '=', domainId));
  return r && toMailbox(r);
}

export function* ofDomain(k: K, domainId: number): Work<Mailbox[]> {
  return (yield* all(mailboxes(k).where('m.domain_id', '=', domainId).orderBy('m.address'))).map(toMailbox);
}

export function* insert(k: K, m: { userId: number; address: string; domainId: number; quota: number }): Work<Mailbox> {
  const row = yield* first(k.insertInto('mailboxes').values({ user_id: m.userId, address: m.address, domain_id: m.domainId, quota: m.quota }).returning('id'));
  return (yield* byId(k, Number(row?.id))) as Mailbox;
}

export function* update(k: K, id: number, patch: { address: string; domainId: number; quota: number }): Work<Mailbox> {
  yield* exec(k.updateTable('mailboxes').set({ address: patch.address, domain_id: patch.domainId, quota: patch.quota }).where('id', '=', id));
  return (yield* byId(k, id)) as Mailbox;
}

export function* remove(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('mailboxes').where('id', '=', id));
}

export function* aliasById(k: K, id: number): Work<MailboxAlias | undefined> {
  const r = yield* first(k.selectFrom('mailbox_aliases').selectAll().where('id', '=', id));
  return r && toMailboxAlias(r);
}

export function* aliasByAddress(k: K, address: string): Work<MailboxAlias | undefined> {
  const r = yield* first(k.selectFrom('mailbox_aliases').selectAll().where('address', '=', address));
  return r && toMailboxAlias(r);
}

export function* aliasList(k: K): Work<MailboxAlias[]> {
  return (yield* all(k.selectFrom('mailbox_aliases').selectAll().orderBy('address'))).map(toMailboxAlias);
}

export function* insertAlias(k: K, a: { address: string; domainId: number; recipients: readonly string[]; ownerId: number }): Work<MailboxAlias> {
  const row = yield* first(
    k.insertInto('mailbox_aliases').values({ address: a.address, domain_id: a.domainId, recipients: JSON.stringify(a.recipients), owner_id: a.ownerId }).returning('id'),
  );
  return (yield* aliasById(k, Number(row?.id))) as MailboxAlias;
}

export function* removeAlias(k: K, id: number): Work<void> {
  yield* exec(k.deleteFrom('mailbox_aliases').where('id', '=', id));
}
