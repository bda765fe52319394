import { raw, type SqlDialect, type SqlMigration } from '@plugboard/sql';
import { sql, type ColumnDefinitionBuilder, type Compilable, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';

/** The scope of the host's migrations in `plugboard_migrations`. */
export const HOST_SCOPE = 'host';

type Column = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** The column kinds the host's tables need, per dialect. */
interface Kinds {
  /** Names and addresses compare ignoring case, as DNS and mail do: `COLLATE NOCASE` on SQLite, `citext` on PostgreSQL. */
  readonly nocase: 'text' | Expression<unknown>;
  readonly nocaseEnd: Column;
  /** A generated integer key (SQLite's rowid; an identity column on PostgreSQL). */
  readonly key: Column;
  readonly real: 'real' | 'double precision';
}

function kindsOf(dialect: SqlDialect): Kinds {
  const pg = dialect === 'postgres';
  return {
    nocase: pg ? sql`citext` : 'text',
    nocaseEnd: (c) => (pg ? c : c.modifyEnd(sql`COLLATE NOCASE`)),
    key: (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()),
    real: pg ? 'double precision' : 'real',
  };
}

type Table = CreateTableBuilder<string, never>;

function accounts(k: Kysely<unknown>, t: Kinds): Table[] {
  const flag = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => c.notNull().defaultTo(1);
  return [
    k.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('username', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      // Searched with LIKE, which ignores ASCII case on SQLite: citext does the same on PostgreSQL.
      .addColumn('first_name', t.nocase, (c) => c.notNull().defaultTo(''))
      .addColumn('last_name', t.nocase, (c) => c.notNull().defaultTo(''))
      .addColumn('email', t.nocase, (c) => c.notNull().defaultTo(''))
      .addColumn('enabled', 'integer', flag)
      .addColumn('external', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('password_changed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('mobile', 'text', (c) => c.notNull().defaultTo('')),
    k.schema
      .createTable('domains')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('name', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('quota', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('enabled', 'integer', flag)
      .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull()),
    k.schema
      .createTable('domain_aliases')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('name', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('target_id', 'integer', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('enabled', 'integer', flag)
      .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id')),
    k.schema
      .createTable('mailboxes')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('user_id', 'integer', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
      .addColumn('address', t.nocase, (c) => t.nocaseEnd(c.notNull()))
      .addColumn('domain_id', 'integer', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('quota', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('mailboxes_address_domain_id_key', ['address', 'domain_id']),
    k.schema
      .createTable('mailbox_aliases')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('address', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('domain_id', 'integer', (c) => c.notNull().references('domains.id').onDelete('cascade'))
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', flag)
      .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id')),
    k.schema
      .createTable('relay_domains')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('name', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('target_host', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull().defaultTo('relay'))
      .addColumn('enabled', 'integer', flag)
      .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull()),
    k.schema
      .createTable('relay_domain_aliases')
      .ifNotExists()
      .addColumn('id', 'integer', t.key)
      .addColumn('name', t.nocase, (c) => t.nocaseEnd(c.notNull().unique()))
      .addColumn('target_id', 'integer', (c) => c.notNull().references('relay_domains.id').onDelete('cascade'))
      .addColumn('enabled', 'integer', flag)
      .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id')),
  ];
}

function settings(k: Kysely<unknown>, t: Kinds): Table[] {
  return [
    k.schema
      .createTable('sessions')
      .ifNotExists()
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull()),
    k.schema
      .createTable('parameters')
      .ifNotExists()
      .addColumn('application', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level IN ('A', 'U')`))
      .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('parameters_pkey', ['application', 'level', 'user_id', 'name']),
    k.schema
      .createTable('user_limits')
      .ifNotExists()
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('max_value', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_limits_pkey', ['user_id', 'name']),
    k.schema
      .createTable('extension_packages')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull()),
    k.schema
      .createTable('extensions')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text'),
    health(k, t),
  ];
}

// Counts are added by every process that made calls (server, worker, CLI), so they sum across them.
function health(k: Kysely<unknown>, t: Kinds): Table {
  let table = k.schema.createTable('extension_health').ifNotExists().addColumn('name', 'text', (c) => c.primaryKey());
  for (const n of ['calls', 'errors', 'timeouts', 'invalid_results']) table = table.addColumn(n, 'integer', (c) => c.notNull().defaultTo(0));
  for (const n of ['total_ms', 'p99_ms']) table = table.addColumn(n, t.real, (c) => c.notNull().defaultTo(0));
  table = table.addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0));
  for (const n of ['last_error_at', 'last_error_hook', 'last_error_code', 'last_error_message']) table = table.addColumn(n, 'text');
  return table.addColumn('updated_at', 'text', (c) => c.notNull());
}

/**
 * The host's schema on both dialects, scope `host` of `plugboard_migrations`. Append new
 * migrations; never edit a shipped one. The first one is the final schema of the old SQLite
 * runner (`HOST_MIGRATIONS` 1–5) with `IF NOT EXISTS`, so a file that runner made is adopted as it is.
 *
 * @example
 * ```ts
 * await migrate(store, HOST_SCOPE, HOST_SCHEMA);
 * ```
 */
export const HOST_SCHEMA: readonly SqlMigration[] = [
  {
    name: '0001_host_tables',
    statements: (k, dialect): Compilable<unknown>[] => {
      const t = kindsOf(dialect);
      // citext is a trusted extension (PostgreSQL 13+): the database's owner may create it.
      const pre = dialect === 'postgres' ? [raw(k, sql`CREATE EXTENSION IF NOT EXISTS citext`)] : [];
      return [...pre, ...accounts(k, t), ...settings(k, t)];
    },
  },
];
