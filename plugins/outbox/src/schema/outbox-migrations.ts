import { raw, type SqlDialect, type SqlMigration } from '@plugboard/sql';
import { sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';

/**
 * The outbox's schema steps, built once for both dialects and applied by @plugboard/sql's
 * migrator (scope `@plugboard/outbox`, history in `plugboard_migrations`). Never edit a shipped
 * entry, append one. Version 1 is exactly the schema of the first runner, written with IF NOT
 * EXISTS, so a database made by an earlier outbox (its history in `outbox_schema` or in Kysely
 * Migrator's `outbox_migrations`, both left in place) adopts it without touching its rows.
 */
export const OUTBOX_MIGRATIONS: readonly SqlMigration[] = [
  { name: '0001_outbox', statements: (db, dialect) => v1(db, dialect) },
  { name: '0002_active_index', statements: (db, dialect) => activeIndex(db, dialect) },
];

/** The migration scope of the outbox in `plugboard_migrations`. */
export const OUTBOX_SCOPE = '@plugboard/outbox';

/**
 * PostgreSQL: the loop's claims and wake-up checks ask for `state IN ('pending', 'delivering')`,
 * which the per-state partial indexes cannot serve: without this index each loop step scanned
 * every delivered message (4 ms at 20,000 rows, growing with the history). SQLite's statements
 * name their per-state index (INDEXED BY) instead, so its tables get nothing.
 */
function activeIndex(db: Kysely<unknown>, dialect: SqlDialect): Compilable<unknown>[] {
  if (dialect !== 'postgres') return [];
  return [db.schema.createIndex('outbox_messages_active').ifNotExists().on('outbox_messages').column('due_at').where(sql.ref('state'), 'in', sql`('pending', 'delivering')`)];
}

function v1(db: Kysely<unknown>, dialect: SqlDialect): Compilable<unknown>[] {
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
    ...(pg ? pgNotify().map((q) => raw(db, q)) : []),
  ];
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
