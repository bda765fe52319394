import { sql, type Kysely } from 'kysely';
import type { SqlMigration } from '@plugboard/sql';

/** A row of a stored configuration table: the configuration as (sealed) JSON, with its bookkeeping. */
export interface ConfigRow {
  name: string;
  data: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

/** A row of `notify_email_hooks`: a {@link ConfigRow} with the hook's kind, readable without opening `data`. */
export interface EmailHookRow extends ConfigRow {
  kind: string;
}

/** The tables of this package, on either dialect. */
export interface NotifyTables {
  notify_smtp_config: ConfigRow;
  notify_sms_gateway: ConfigRow;
  notify_email_hooks: EmailHookRow;
}

/** The migration scope of this package in `plugboard_migrations`. */
export const NOTIFY_SCOPE = '@plugboard/notify';

/**
 * The topic every write of a notify store announces, with the table written as payload: stores
 * of other processes (PostgreSQL) or on the same connection (SQLite) reload it.
 */
export const CONFIG_TOPIC = 'notify-configs';

function configTable(k: Kysely<unknown>, table: string): ReturnType<Kysely<unknown>['schema']['createTable']> {
  return k.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1));
}

/**
 * The schema of both stores. `IF NOT EXISTS` because 0.1.0 created the same tables by hand (and
 * kept the email hooks' version in `notify_email_hooks_schema`, left as it is): such a file is
 * adopted with its rows. Never edit a shipped entry; append a new one.
 */
export const NOTIFY_MIGRATIONS: readonly SqlMigration[] = [
  {
    name: '0001_notify_configs',
    statements: (k) => [
      configTable(k, 'notify_smtp_config'),
      configTable(k, 'notify_sms_gateway'),
      configTable(k, 'notify_email_hooks').addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('simple', 'ses')`)),
    ],
  },
];
