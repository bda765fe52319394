/** The rows of the host's tables and their mapping to model objects (the repository's SQL reads them). */
import type { Domain, DomainAlias, Mailbox, MailboxAlias, RelayDomain, RelayDomainAlias, User } from './model';

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  first_name: string;
  last_name: string;
  email: string; mobile: string;
  enabled: number;
  external: number;
  owner_id: number | null;
  password_changed_at: string | null;
  created_at: string;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  role: r.role,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email, mobile: r.mobile,
  enabled: r.enabled === 1,
  external: r.external === 1,
  ownerId: r.owner_id,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
});

export interface DomainRow {
  id: number;
  name: string;
  quota: number;
  enabled: number;
  owner_id: number;
  created_at: string;
}
export const toDomain = (r: DomainRow): Domain => ({ id: r.id, type: 'domain', name: r.name, quota: r.quota, enabled: r.enabled === 1, ownerId: r.owner_id, createdAt: r.created_at });

export interface AliasRow {
  id: number;
  name: string;
  target_id: number;
  target_name: string;
  enabled: number;
  owner_id: number;
}
export const toAlias = (r: AliasRow): DomainAlias & RelayDomainAlias => ({
  id: r.id,
  name: r.name,
  targetId: r.target_id,
  targetName: r.target_name,
  enabled: r.enabled === 1,
  ownerId: r.owner_id,
});

export interface MailboxRow {
  id: number;
  user_id: number;
  address: string;
  domain_id: number;
  domain_name: string;
  quota: number;
}
export const toMailbox = (r: MailboxRow): Mailbox => ({
  id: r.id,
  userId: r.user_id,
  address: r.address,
  domainId: r.domain_id,
  domainName: r.domain_name,
  fullAddress: `${r.address}@${r.domain_name}`,
  quota: r.quota,
});

export interface MailboxAliasRow {
  id: number;
  address: string;
  domain_id: number;
  recipients: string;
  enabled: number;
  owner_id: number;
}
export const toMailboxAlias = (r: MailboxAliasRow): MailboxAlias => ({
  id: r.id,
  address: r.address,
  domainId: r.domain_id,
  recipients: JSON.parse(r.recipients) as string[],
  enabled: r.enabled === 1,
  ownerId: r.owner_id,
});

export interface RelayRow {
  id: number;
  name: string;
  target_host: string;
  service: string;
  enabled: number;
  owner_id: number;
  created_at: string;
}
export const toRelay = (r: RelayRow): RelayDomain => ({
  id: r.id,
  type: 'relaydomain',
  name: r.name,
  targetHost: r.target_host,
  service: r.service,
  enabled: r.enabled === 1,
  ownerId: r.owner_id,
  createdAt: r.created_at,
});

export const MAILBOX_SELECT = 'SELECT m.id, m.user_id, m.address, m.domain_id, d.name AS domain_name, m.quota FROM mailboxes m JOIN domains d ON d.id = m.domain_id';

export const now = (): string => new Date().toISOString();
