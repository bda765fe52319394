import type { Generated } from 'kysely';

/**
 * The host's tables as Kysely sees them, one declaration for SQLite and PostgreSQL. Flags are
 * integers (0/1) and times ISO text on both dialects; `Generated` marks what the database fills.
 */
export interface HostTables {
  users: {
    id: Generated<number>;
    username: string;
    password_hash: string;
    role: string;
    first_name: Generated<string>;
    last_name: Generated<string>;
    email: Generated<string>;
    mobile: Generated<string>;
    enabled: Generated<number>;
    external: Generated<number>;
    owner_id: number | null;
    password_changed_at: string | null;
    created_at: string;
  };
  domains: { id: Generated<number>; name: string; quota: Generated<number>; enabled: Generated<number>; owner_id: number; created_at: string };
  domain_aliases: { id: Generated<number>; name: string; target_id: number; enabled: Generated<number>; owner_id: number };
  mailboxes: { id: Generated<number>; user_id: number; address: string; domain_id: number; quota: Generated<number> };
  mailbox_aliases: { id: Generated<number>; address: string; domain_id: number; recipients: string; enabled: Generated<number>; owner_id: number };
  relay_domains: { id: Generated<number>; name: string; target_host: string; service: Generated<string>; enabled: Generated<number>; owner_id: number; created_at: string };
  relay_domain_aliases: { id: Generated<number>; name: string; target_id: number; enabled: Generated<number>; owner_id: number };
  sessions: { token_hash: string; user_id: number; created_at: string; expires_at: string };
  parameters: { application: string; level: 'A' | 'U'; user_id: Generated<number>; name: string; value: string };
  user_limits: { user_id: number; name: string; max_value: number };
  extension_packages: { name: string; source: string; version: string; added_at: string };
}
