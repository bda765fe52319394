import type { Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';
import type { Database } from './db';
import type { NamedKind } from './hooks';
import type { Domain, DomainAlias, Mailbox, MailboxAlias, RelayDomain, RelayDomainAlias, User } from './model';
import * as domains from './store/domain-works';
import type { HostTables } from './store/host-tables';
import * as mailboxes from './store/mailbox-works';
import * as relays from './store/relay-works';
import * as settings from './store/setting-works';
import * as users from './store/user-works';

/**
 * The host's tables on either dialect (`db.store`), returning model objects. Each operation is a
 * work of `store/*-works.ts` (one Kysely query for SQLite and PostgreSQL) run on its own; several
 * writes that belong together compose those works in one {@link Repository.transact}. No
 * permissions and no hooks here: that is the service layer's job.
 *
 * @example
 * ```ts
 * const domain = await repo.domainByName('example.com');
 * await repo.transact(releaseAndDelete(repo.k, userId));
 * ```
 */
export class Repository {
  /** The Kysely to build the host's queries with. */
  readonly k: Kysely<HostTables>;

  constructor(readonly db: Database) {
    this.k = db.store.as<HostTables>();
  }

  /** Runs a work statement by statement (inside the import's transaction when one is held: SqlDatabase.hold). */
  run<R>(work: Work<R>): Promise<R> {
    return this.db.store.run(work);
  }

  /** Runs a work in one transaction: all of it or none (a savepoint of the import's when one is held). */
  transact<R>(work: Work<R>): Promise<R> {
    return this.db.store.transact(work);
  }

  // users
  userById(id: number): Promise<User | undefined> {
    return this.run(users.byId(this.k, id));
  }
  userByName(username: string): Promise<User | undefined> {
    return this.run(users.byName(this.k, username));
  }
  passwordHash(id: number): Promise<string | undefined> {
    return this.run(users.passwordHash(this.k, id));
  }
  users(): Promise<User[]> {
    return this.run(users.list(this.k));
  }
  countUsers(): Promise<number> {
    return this.run(users.count(this.k));
  }
  insertUser(u: users.NewUserRow): Promise<User> {
    return this.run(users.insert(this.k, u));
  }
  updateUser(id: number, patch: users.UserPatch): Promise<User> {
    return this.run(users.update(this.k, id, patch));
  }
  setPassword(id: number, hash: string): Promise<void> {
    return this.run(users.setPassword(this.k, id, hash));
  }

  // domains
  domainById(id: number): Promise<Domain | undefined> {
    return this.run(domains.byId(this.k, id));
  }
  domainByName(name: string): Promise<Domain | undefined> {
    return this.run(domains.byName(this.k, name));
  }
  domains(): Promise<Domain[]> {
    return this.run(domains.list(this.k));
  }
  domainsOwnedBy(ownerId: number): Promise<Domain[]> {
    return this.run(domains.ownedBy(this.k, ownerId));
  }
  insertDomain(d: { name: string; quota: number; enabled: boolean; ownerId: number }): Promise<Domain> {
    return this.run(domains.insert(this.k, d));
  }
  updateDomain(id: number, patch: { name?: string; quota?: number; enabled?: boolean; ownerId?: number }): Promise<Domain> {
    return this.run(domains.update(this.k, id, patch));
  }

  // domain aliases
  domainAliasById(id: number): Promise<DomainAlias | undefined> {
    return this.run(domains.aliasById(this.k, id));
  }
  domainAliases(): Promise<DomainAlias[]> {
    return this.run(domains.aliasList(this.k));
  }
  insertDomainAlias(a: { name: string; targetId: number; ownerId: number }): Promise<DomainAlias> {
    return this.run(domains.insertAlias(this.k, a));
  }
  deleteDomainAlias(id: number): Promise<void> {
    return this.run(domains.removeAlias(this.k, id));
  }

  // mailboxes
  mailboxById(id: number): Promise<Mailbox | undefined> {
    return this.run(mailboxes.byId(this.k, id));
  }
  mailboxOfUser(userId: number): Promise<Mailbox | undefined> {
    return this.run(mailboxes.ofUser(this.k, userId));
  }
  mailboxByAddress(local: string, domainId: number): Promise<Mailbox | undefined> {
    return this.run(mailboxes.byAddress(this.k, local, domainId));
  }
  mailboxesOfDomain(domainId: number): Promise<Mailbox[]> {
    return this.run(mailboxes.ofDomain(this.k, domainId));
  }
  insertMailbox(m: { userId: number; address: string; domainId: number; quota: number }): Promise<Mailbox> {
    return this.run(mailboxes.insert(this.k, m));
  }
  deleteMailbox(id: number): Promise<void> {
    return this.run(mailboxes.remove(this.k, id));
  }

  // mailbox aliases
  mailboxAliasById(id: number): Promise<MailboxAlias | undefined> {
    return this.run(mailboxes.aliasById(this.k, id));
  }
  mailboxAliasByAddress(address: string): Promise<MailboxAlias | undefined> {
    return this.run(mailboxes.aliasByAddress(this.k, address));
  }
  mailboxAliases(): Promise<MailboxAlias[]> {
    return this.run(mailboxes.aliasList(this.k));
  }
  insertMailboxAlias(a: { address: string; domainId: number; recipients: readonly string[]; ownerId: number }): Promise<MailboxAlias> {
    return this.run(mailboxes.insertAlias(this.k, a));
  }
  deleteMailboxAlias(id: number): Promise<void> {
    return this.run(mailboxes.removeAlias(this.k, id));
  }

  // relay domains
  relayDomainById(id: number): Promise<RelayDomain | undefined> {
    return this.run(relays.byId(this.k, id));
  }
  relayDomains(): Promise<RelayDomain[]> {
    return this.run(relays.list(this.k));
  }
  insertRelayDomain(d: { name: string; targetHost: string; service: string; ownerId: number }): Promise<RelayDomain> {
    return this.run(relays.insert(this.k, d));
  }
  updateRelayDomain(id: number, patch: { name?: string; targetHost?: string; service?: string; enabled?: boolean }): Promise<RelayDomain> {
    return this.run(relays.update(this.k, id, patch));
  }
  deleteRelayDomain(id: number): Promise<void> {
    return this.run(relays.remove(this.k, id));
  }

  // relay domain aliases
  relayDomainAliasById(id: number): Promise<RelayDomainAlias | undefined> {
    return this.run(relays.aliasById(this.k, id));
  }
  relayDomainAliases(): Promise<RelayDomainAlias[]> {
    return this.run(relays.aliasList(this.k));
  }
  insertRelayDomainAlias(a: { name: string; targetId: number; ownerId: number }): Promise<RelayDomainAlias> {
    return this.run(relays.insertAlias(this.k, a));
  }
  deleteRelayDomainAlias(id: number): Promise<void> {
    return this.run(relays.removeAlias(this.k, id));
  }

  /** Whether an object of `kind` already uses `name` (the domain-name uniqueness rule). */
  nameTaken(kind: NamedKind, name: string, exceptId?: number): Promise<boolean> {
    return this.run(domains.nameTaken(this.k, kind, name, exceptId));
  }

  // parameters and limits
  parameters(application: string, level: 'A' | 'U', userId: number): Promise<Record<string, unknown>> {
    return this.run(settings.parameters(this.k, application, level, userId));
  }
  limits(userId: number): Promise<Record<string, number>> {
    return this.run(settings.limits(this.k, userId));
  }
}
