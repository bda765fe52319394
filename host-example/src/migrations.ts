import type { Migration } from './store/legacy-migrations';

/**
 * The host's schema as the old SQLite runner (`finishLegacy`) applied it, scope `host` of
 * `schema_migrations`. Frozen: the schema now grows in `HOST_SCHEMA` (both dialects); these only
 * finish a file that runner left part-way before `HOST_SCHEMA` adopts it (see `migrateHost`).
 * Names compare case-insensitively, as DNS and mail addresses do.
 */
export const HOST_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, domains, aliases, mailboxes, relay domains, sessions, extensions',
    up: `
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      username TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      role TEXT NOT NULL,
      first_name TEXT NOT NULL DEFAULT '',
      last_name TEXT NOT NULL DEFAULT '',
      email TEXT NOT NULL DEFAULT '',
      enabled INTEGER NOT NULL DEFAULT 1,
      external INTEGER NOT NULL DEFAULT 0,
      owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      password_changed_at TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE domains (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      quota INTEGER NOT NULL DEFAULT 0,
      enabled INTEGER NOT NULL DEFAULT 1,
      owner_id INTEGER NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL
    );
    CREATE TABLE domain_aliases (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      target_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      enabled INTEGER NOT NULL DEFAULT 1,
      owner_id INTEGER NOT NULL REFERENCES users(id)
    );
    CREATE TABLE mailboxes (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
      address TEXT NOT NULL COLLATE NOCASE,
      domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      quota INTEGER NOT NULL DEFAULT 0,
      UNIQUE (address, domain_id)
    );
    CREATE TABLE mailbox_aliases (
      id INTEGER PRIMARY KEY,
      address TEXT NOT NULL UNIQUE COLLATE NOCASE,
      domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
      recipients TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1,
      owner_id INTEGER NOT NULL REFERENCES users(id)
    );
    CREATE TABLE relay_domains (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      target_host TEXT NOT NULL,
      service TEXT NOT NULL DEFAULT 'relay',
      enabled INTEGER NOT NULL DEFAULT 1,
      owner_id INTEGER NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL
    );
    CREATE TABLE relay_domain_aliases (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      target_id INTEGER NOT NULL REFERENCES relay_domains(id) ON DELETE CASCADE,
      enabled INTEGER NOT NULL DEFAULT 1,
      owner_id INTEGER NOT NULL REFERENCES users(id)
    );
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
    CREATE TABLE extensions (
      name TEXT PRIMARY KEY,
      enabled INTEGER NOT NULL,
      updated_at TEXT NOT NULL
    );
    `,
  },
  {
    version: 2,
    name: 'parameters and per-administrator limits',
    up: `
    CREATE TABLE parameters (
      application TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('A', 'U')),
      user_id INTEGER NOT NULL DEFAULT 0,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (application, level, user_id, name)
    );
    CREATE TABLE user_limits (
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      max_value INTEGER NOT NULL,
      PRIMARY KEY (user_id, name)
    );
    `,
  },
  {
    version: 3,
    name: 'extension packages',
    up: `
    CREATE TABLE extension_packages (
      name TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      version TEXT NOT NULL,
      added_at TEXT NOT NULL
    );
    `,
  },
  {
    version: 4,
    name: 'extension health and disable reasons',
    // Counts are added by every process that made calls (server, worker, CLI), so they sum across them.
    up: `
    ALTER TABLE extensions ADD COLUMN reason TEXT;
    CREATE TABLE extension_health (
      name TEXT PRIMARY KEY,
      calls INTEGER NOT NULL DEFAULT 0,
      errors INTEGER NOT NULL DEFAULT 0,
      timeouts INTEGER NOT NULL DEFAULT 0,
      invalid_results INTEGER NOT NULL DEFAULT 0,
      total_ms REAL NOT NULL DEFAULT 0,
      p99_ms REAL NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_error_at TEXT,
      last_error_hook TEXT,
      last_error_code TEXT,
      last_error_message TEXT,
      updated_at TEXT NOT NULL
    );
    `,
  },
  {
    version: 5,
    name: 'mobile numbers of accounts',
    up: `ALTER TABLE users ADD COLUMN mobile TEXT NOT NULL DEFAULT '';`,
  },
];
