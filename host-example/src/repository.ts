import type { Database } from './db';
import type { NamedKind } from './hooks';
import type { Domain, DomainAlias, Mailbox, MailboxAlias, RelayDomain, RelayDomainAlias, User } from './model';
import { MAILBOX_SELECT, now, toAlias, toDomain, toMailbox, toMailboxAlias, toRelay, toUser, type AliasRow, type DomainRow, type MailboxAliasRow, type MailboxRow, type RelayRow, type UserRow } from './repository-rows';
/**
 * Plain SQL access to the host's tables; returns model objects. No permissions and no
 * hooks here: that is the service layer's job.
 */
export class Repository {
  constructor(readonly db: Database) {}

  private get sql() {
    return this.db.sql;
  }

  // users
  userById(id: number): User | undefined {
    const r = this.sql.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }
  userByName(username: string): User | undefined {
    const r = this.sql.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r && toUser(r);
  }
  passwordHash(id: number): string | undefined {
    return (this.sql.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string } | undefined)?.password_hash;
  }
  users(): User[] {
    return (this.sql.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toUser);
  }
  countUsers(): number {
    return (this.sql.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }
  insertUser(u: { username: string; passwordHash: string; role: string; firstName?: string; lastName?: string; email?: string; mobile?: string; enabled?: boolean; external?: boolean; ownerId: number | null }): User {
    const info = this.sql
      .prepare(
        `INSERT INTO users (username, password_hash, role, first_name, last_name, email, mobile, enabled, external, owner_id, password_changed_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.username, u.passwordHash, u.role, u.firstName ?? '', u.lastName ?? '', u.email ?? '', u.mobile ?? '', u.enabled === false ? 0 : 1, u.external ? 1 : 0, u.ownerId, null, now());
    return this.userById(Number(info.lastInsertRowid)) as User;
  }
  updateUser(id: number, patch: { username?: string; role?: string; firstName?: string; lastName?: string; email?: string; mobile?: string; enabled?: boolean }): User {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const set = (c: string, v: unknown): void => {
      cols.push(`${c} = ?`);
      vals.push(v);
    };
    if (patch.username !== undefined) set('username', patch.username);
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.firstName !== undefined) set('first_name', patch.firstName);
    if (patch.lastName !== undefined) set('last_name', patch.lastName);
    for (const [c, v] of [['email', patch.email], ['mobile', patch.mobile]] as const) if (v !== undefined) set(c, v);
    if (patch.enabled !== undefined) set('enabled', patch.enabled ? 1 : 0);
    if (cols.length > 0) this.sql.prepare(`UPDATE users SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
    return this.userById(id) as User;
  }
  setPassword(id: number, hash: string): void {
    this.sql.prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(hash, now(), id);
  }
  deleteUser(id: number): void {
    this.sql.prepare('DELETE FROM users WHERE id = ?').run(id);
  }
  /**
   * Before deleting a user: what she created but does not own by right (aliases) goes to the
   * owner of the domain it belongs to, and accounts she created forget their creator. Her
   * domains and relay domains are never moved here (the policy refuses to delete her first).
   */
  releaseCreatedBy(userId: number): void {
    this.sql.prepare('UPDATE domain_aliases SET owner_id = (SELECT owner_id FROM domains WHERE id = target_id) WHERE owner_id = ?').run(userId);
    this.sql.prepare('UPDATE mailbox_aliases SET owner_id = (SELECT owner_id FROM domains WHERE id = domain_id) WHERE owner_id = ?').run(userId);
    this.sql.prepare('UPDATE relay_domain_aliases SET owner_id = (SELECT owner_id FROM relay_domains WHERE id = target_id) WHERE owner_id = ?').run(userId);
    this.sql.prepare('UPDATE users SET owner_id = NULL WHERE owner_id = ?').run(userId);
  }

  // domains
  domainById(id: number): Domain | undefined {
    const r = this.sql.prepare('SELECT * FROM domains WHERE id = ?').get(id) as DomainRow | undefined;
    return r && toDomain(r);
  }
  domainByName(name: string): Domain | undefined {
    const r = this.sql.prepare('SELECT * FROM domains WHERE name = ?').get(name) as DomainRow | undefined;
    return r && toDomain(r);
  }
  domains(): Domain[] {
    return (this.sql.prepare('SELECT * FROM domains ORDER BY name').all() as DomainRow[]).map(toDomain);
  }
  domainsOwnedBy(ownerId: number): Domain[] {
    return (this.sql.prepare('SELECT * FROM domains WHERE owner_id = ? ORDER BY name').all(ownerId) as DomainRow[]).map(toDomain);
  }
  insertDomain(d: { name: string; quota: number; enabled: boolean; ownerId: number }): Domain {
    const info = this.sql.prepare('INSERT INTO domains (name, quota, enabled, owner_id, created_at) VALUES (?, ?, ?, ?, ?)').run(d.name, d.quota, d.enabled ? 1 : 0, d.ownerId, now());
    return this.domainById(Number(info.lastInsertRowid)) as Domain;
  }
  updateDomain(id: number, patch: { name?: string; quota?: number; enabled?: boolean; ownerId?: number }): Domain {
    const cur = this.domainById(id) as Domain;
    this.sql
      .prepare('UPDATE domains SET name = ?, quota = ?, enabled = ?, owner_id = ? WHERE id = ?')
      .run(patch.name ?? cur.name, patch.quota ?? cur.quota, (patch.enabled ?? cur.enabled) ? 1 : 0, patch.ownerId ?? cur.ownerId, id);
    return this.domainById(id) as Domain;
  }
  deleteDomain(id: number): void {
    this.sql.prepare('DELETE FROM domains WHERE id = ?').run(id);
  }

  // domain aliases
  domainAliasById(id: number): DomainAlias | undefined {
    const r = this.sql.prepare('SELECT a.*, d.name AS target_name FROM domain_aliases a JOIN domains d ON d.id = a.target_id WHERE a.id = ?').get(id) as AliasRow | undefined;
    return r && toAlias(r);
  }
  domainAliases(): DomainAlias[] {
    return (this.sql.prepare('SELECT a.*, d.name AS target_name FROM domain_aliases a JOIN domains d ON d.id = a.target_id ORDER BY a.name').all() as AliasRow[]).map(toAlias);
  }
  insertDomainAlias(a: { name: string; targetId: number; ownerId: number }): DomainAlias {
    const info = this.sql.prepare('INSERT INTO domain_aliases (name, target_id, owner_id) VALUES (?, ?, ?)').run(a.name, a.targetId, a.ownerId);
    return this.domainAliasById(Number(info.lastInsertRowid)) as DomainAlias;
  }
  deleteDomainAlias(id: number): void {
    this.sql.prepare('DELETE FROM domain_aliases WHERE id = ?').run(id);
  }

  // mailboxes
  mailboxById(id: number): Mailbox | undefined {
    const r = this.sql.prepare(`${MAILBOX_SELECT} WHERE m.id = ?`).get(id) as MailboxRow | undefined;
    return r && toMailbox(r);
  }
  mailboxOfUser(userId: number): Mailbox | undefined {
    const r = this.sql.prepare(`${MAILBOX_SELECT} WHERE m.user_id = ?`).get(userId) as MailboxRow | undefined;
    return r && toMailbox(r);
  }
  mailboxByAddress(local: string, domainId: number): Mailbox | undefined {
    const r = this.sql.prepare(`${MAILBOX_SELECT} WHERE m.address = ? AND m.domain_id = ?`).get(local, domainId) as MailboxRow | undefined;
    return r && toMailbox(r);
  }
  mailboxesOfDomain(domainId: number): Mailbox[] {
    return (this.sql.prepare(`${MAILBOX_SELECT} WHERE m.domain_id = ? ORDER BY m.address`).all(domainId) as MailboxRow[]).map(toMailbox);
  }
  insertMailbox(m: { userId: number; address: string; domainId: number; quota: number }): Mailbox {
    const info = this.sql.prepare('INSERT INTO mailboxes (user_id, address, domain_id, quota) VALUES (?, ?, ?, ?)').run(m.userId, m.address, m.domainId, m.quota);
    return this.mailboxById(Number(info.lastInsertRowid)) as Mailbox;
  }
  updateMailbox(id: number, patch: { address: string; domainId: number; quota: number }): Mailbox {
    this.sql.prepare('UPDATE mailboxes SET address = ?, domain_id = ?, quota = ? WHERE id = ?').run(patch.address, patch.domainId, patch.quota, id);
    return this.mailboxById(id) as Mailbox;
  }
  deleteMailbox(id: number): void {
    this.sql.prepare('DELETE FROM mailboxes WHERE id = ?').run(id);
  }

  // mailbox aliases
  mailboxAliasById(id: number): MailboxAlias | undefined {
    const r = this.sql.prepare('SELECT * FROM mailbox_aliases WHERE id = ?').get(id) as MailboxAliasRow | undefined;
    return r && toMailboxAlias(r);
  }
  mailboxAliasByAddress(address: string): MailboxAlias | undefined {
    const r = this.sql.prepare('SELECT * FROM mailbox_aliases WHERE address = ?').get(address) as MailboxAliasRow | undefined;
    return r && toMailboxAlias(r);
  }
  mailboxAliases(): MailboxAlias[] {
    return (this.sql.prepare('SELECT * FROM mailbox_aliases ORDER BY address').all() as MailboxAliasRow[]).map(toMailboxAlias);
  }
  insertMailboxAlias(a: { address: string; domainId: number; recipients: readonly string[]; ownerId: number }): MailboxAlias {
    const info = this.sql.prepare('INSERT INTO mailbox_aliases (address, domain_id, recipients, owner_id) VALUES (?, ?, ?, ?)').run(a.address, a.domainId, JSON.stringify(a.recipients), a.ownerId);
    return this.mailboxAliasById(Number(info.lastInsertRowid)) as MailboxAlias;
  }
  deleteMailboxAlias(id: number): void {
    this.sql.prepare('DELETE FROM mailbox_aliases WHERE id = ?').run(id);
  }

  // relay domains
  relayDomainById(id: number): RelayDomain | undefined {
    const r = this.sql.prepare('SELECT * FROM relay_domains WHERE id = ?').get(id) as RelayRow | undefined;
    return r && toRelay(r);
  }
  relayDomains(): RelayDomain[] {
    return (this.sql.prepare('SELECT * FROM relay_domains ORDER BY name').all() as RelayRow[]).map(toRelay);
  }
  insertRelayDomain(d: { name: string; targetHost: string; service: string; ownerId: number }): RelayDomain {
    const info = this.sql
      .prepare('INSERT INTO relay_domains (name, target_host, service, owner_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(d.name, d.targetHost, d.service, d.ownerId, now());
    return this.relayDomainById(Number(info.lastInsertRowid)) as RelayDomain;
  }
  updateRelayDomain(id: number, patch: { name?: string; targetHost?: string; service?: string; enabled?: boolean }): RelayDomain {
    const cur = this.relayDomainById(id) as RelayDomain;
    this.sql
      .prepare('UPDATE relay_domains SET name = ?, target_host = ?, service = ?, enabled = ? WHERE id = ?')
      .run(patch.name ?? cur.name, patch.targetHost ?? cur.targetHost, patch.service ?? cur.service, (patch.enabled ?? cur.enabled) ? 1 : 0, id);
    return this.relayDomainById(id) as RelayDomain;
  }
  deleteRelayDomain(id: number): void {
    this.sql.prepare('DELETE FROM relay_domains WHERE id = ?').run(id);
  }

  // relay domain aliases
  relayDomainAliasById(id: number): RelayDomainAlias | undefined {
    const r = this.sql.prepare('SELECT a.*, d.name AS target_name FROM relay_domain_aliases a JOIN relay_domains d ON d.id = a.target_id WHERE a.id = ?').get(id) as AliasRow | undefined;
    return r && toAlias(r);
  }
  relayDomainAliases(): RelayDomainAlias[] {
    return (this.sql.prepare('SELECT a.*, d.name AS target_name FROM relay_domain_aliases a JOIN relay_domains d ON d.id = a.target_id ORDER BY a.name').all() as AliasRow[]).map(toAlias);
  }
  insertRelayDomainAlias(a: { name: string; targetId: number; ownerId: number }): RelayDomainAlias {
    const info = this.sql.prepare('INSERT INTO relay_domain_aliases (name, target_id, owner_id) VALUES (?, ?, ?)').run(a.name, a.targetId, a.ownerId);
    return this.relayDomainAliasById(Number(info.lastInsertRowid)) as RelayDomainAlias;
  }
  deleteRelayDomainAlias(id: number): void {
    this.sql.prepare('DELETE FROM relay_domain_aliases WHERE id = ?').run(id);
  }

  /** Whether an object of `kind` already uses `name` (the domain-name uniqueness rule). */
  nameTaken(kind: NamedKind, name: string, exceptId?: number): boolean {
    const table = { domain: 'domains', domainalias: 'domain_aliases', relaydomain: 'relay_domains', relaydomainalias: 'relay_domain_aliases' }[kind];
    const r = this.sql.prepare(`SELECT id FROM ${table} WHERE name = ?`).get(name) as { id: number } | undefined;
    return r !== undefined && r.id !== exceptId;
  }

  // parameters and limits
  parameters(application: string, level: 'A' | 'U', userId: number): Record<string, unknown> {
    const rows = this.sql.prepare('SELECT name, value FROM parameters WHERE application = ? AND level = ? AND user_id = ?').all(application, level, userId) as { name: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
  }
  setParameter(application: string, level: 'A' | 'U', userId: number, name: string, value: unknown): void {
    this.sql
      .prepare('INSERT INTO parameters (application, level, user_id, name, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value')
      .run(application, level, userId, name, JSON.stringify(value));
  }
  limits(userId: number): Record<string, number> {
    const rows = this.sql.prepare('SELECT name, max_value FROM user_limits WHERE user_id = ?').all(userId) as { name: string; max_value: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.max_value]));
  }
  setLimit(userId: number, name: string, max: number): void {
    this.sql.prepare('INSERT INTO user_limits (user_id, name, max_value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET max_value = excluded.max_value').run(userId, name, max);
  }

  /** Runs `fn` in one SQLite transaction. */
  transaction<R>(fn: () => R): R {
    return this.sql.transaction(fn)();
  }
}
