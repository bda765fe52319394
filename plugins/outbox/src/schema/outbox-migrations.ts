import { sql, type CompiledQuery, type RawBuilder, type Kysely, type Migration } from 'kysely';
import type { OutboxDialect } from './tables';

/**
 * The statements of each schema version, built once for both dialects. Each entry upgrades from
 * the previous one; never edit a shipped entry, append one. Names sort in order (Kysely's Migrator
 * requires it). Version 1 is exactly the schema of the pre-Kysely runner, written with IF NOT
 * EXISTS, so a SQLite file created by that runner adopts it without touching its rows.
 */
export const OUTBOX_MIGRATION_NAMES = ['0001_outbox'] as const;

/** The migration table of the outbox; its own, since other packages' tables share the database. */
export const MIGRATION_TABLE = 'outbox_migrations';
export const MIGRATION_LOCK_TABLE = 'outbox_migrations_lock';

/** The statements of one version, in order (compiled for the sync SQLite runner, executed by Migrator). */
export function migrationStatements(name: OutboxMigrationName, db: Kysely<unknown>, dialect: OutboxDialect): CompiledQuery[] {
  switch (name) {
    case '0001_outbox':
      return v1(db, dialect);
  }
}

export type OutboxMigrationName = (typeof OUTBOX_MIGRATION_NAMES)[number];

/** Kysely migrations for `dialect`, for a `Migrator` provider. */
export function outboxMigrations(dialect: OutboxDialect): Record<string, Migration> {
  const out: Record<string, Migration> = {};
  for (const name of OUTBOX_MIGRATION_NAMES) {
    out[name] = {
      async up(db: Kysely<unknown>): Promise<void> {
        for (const q of migrationStatements(name, db, dialect)) await db.executeQuery(q);
      },
    };
  }
  return out;
}

function v1(db: Kysely<unknown>, dialect: OutboxDialect): CompiledQuery[] {
  const schema = db.schema;
  const pg = dialect === 'postgres';
  // INTEGER on SQLite keeps the affinity the old runner used; epoch milliseconds need bigint on PostgreSQL.
  const time = pg ? 'bigint' : 'integer';
  const states = sql`state in ('pending', 'delivering', 'delivered', 'dead')`;
  const messages = schema
    .createTable('outbox_messages')
    .ifNotExists()
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('meta', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(states))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('claimed_at', time)
    .addColumn('claimed_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('delivered_at', time)
    .addColumn('last_error', 'text')
    .addColumn('last_status_code', 'integer');
  const partial = (name: string, column: string, state: string) =>
    schema.createIndex(name).ifNotExists().on('outbox_messages').column(column).where(sql.ref('state'), '=', sql.lit(state));
  const attempts = schema
    .createTable('outbox_attempts')
    .ifNotExists()
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', time, (c) => c.notNull())
    .addColumn('finished_at', time, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('delivered', 'retry', 'dead')`))
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('detail', 'text')
    .addColumn('next_attempt_at', time);
  return [
    messages,
    partial('outbox_messages_pending', 'due_at', 'pending'),
    partial('outbox_messages_delivering', 'due_at', 'delivering'),
    partial('outbox_messages_dead', 'seq', 'dead'),
    schema
      .createIndex('outbox_messages_dedupe')
      .ifNotExists()
      .unique()
      .on('outbox_messages')
      .columns(['channel', 'dedupe_key'])
      .where(sql.ref('dedupe_key'), 'is not', null),
    attempts,
    schema.createIndex('outbox_attempts_message').ifNotExists().on('outbox_attempts').columns(['message_id', 'seq']),
  ]
    .map((q) => q.compile())
    .concat(pg ? pgNotify().map((q) => q.compile(db)) : []);
}

/**
 * PostgreSQL only: every insert statement notifies `plugboard_outbox_<schema>` when its
 * transaction commits, so idle workers wake without polling, also for rows a host inserts in its
 * own transaction. One channel per schema: outboxes in other schemas of the database stay asleep.
 */
function pgNotify(): RawBuilder<unknown>[] {
  return [
    sql`CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('plugboard_outbox_' || TG_TABLE_SCHEMA, ''); RETURN NULL; END $$`,
    sql`DROP TRIGGER IF EXISTS outbox_messages_notify ON outbox_messages`,
    sql`CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
  ];
}
