import { migrate, migrateSync, raw, type SqlDatabase, type SqlDialect, type SqlMigration } from '@plugboard/sql';
import { sql, type Compilable, type Kysely } from 'kysely';

/** The migration scope of the rules tables in `plugboard_migrations`. */
export const RULES_SCOPE = '@plugboard/rules';

const LOG_COLUMNS = 'id, rule_id, rule_name, event, event_id, position, status, error, detail, duration_ms, at';

function eventLogTable(k: Kysely<unknown>, name: string, dialect: SqlDialect): Compilable<unknown> {
  return k.schema
    .createTable(name)
    .ifNotExists()
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('ok', 'queued', 'failed', 'skipped')`))
    .addColumn('error', 'text')
    .addColumn('detail', 'text')
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull());
}

function eventLogIndexes(k: Kysely<unknown>): Compilable<unknown>[] {
  return [
    k.schema.createIndex('rules_event_log_at').ifNotExists().on('rules_event_log').column('at'),
    k.schema.createIndex('rules_event_log_rule').ifNotExists().on('rules_event_log').columns(['rule_id', 'at']),
    k.schema.createIndex('rules_event_log_event').ifNotExists().on('rules_event_log').columns(['event', 'at']),
    k.schema.createIndex('rules_event_log_event_id').ifNotExists().on('rules_event_log').column('event_id'),
  ];
}

/**
 * The first migration creates the final schema of the old hand-written runner (`rules_schema`
 * version 2) where it is missing, so a SQLite file made by it is adopted as it is. A file still at
 * version 1 has an event log whose CHECK refuses `queued`: on SQLite the log is copied into a table
 * with today's CHECK (SQLite cannot alter one); for a fresh database that copies nothing.
 */
function initial(k: Kysely<unknown>, dialect: SqlDialect): Compilable<unknown>[] {
  const pg = dialect === 'postgres';
  const rules = k.schema
    .createTable('rules_rule')
    .ifNotExists()
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active IN (0, 1)`))
    .addColumn('ordering', 'integer', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull().check(sql`position IN ('pre', 'post')`))
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('handler_module', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('abort_on_error', 'integer', (c) => c.notNull().check(sql`abort_on_error IN (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
  const statements: Compilable<unknown>[] = [
    rules,
    k.schema.createIndex('rules_rule_order').ifNotExists().on('rules_rule').columns(['ordering', 'id']),
    k.schema
      .createTable('rules_meta')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('revision', 'bigint', (c) => c.notNull()),
    raw(k, sql`INSERT INTO rules_meta (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`),
    eventLogTable(k, 'rules_event_log', dialect),
  ];
  if (!pg) {
    statements.push(
      eventLogTable(k, 'rules_event_log_v2', dialect),
      raw(k, sql.raw(`INSERT INTO rules_event_log_v2 (${LOG_COLUMNS}) SELECT ${LOG_COLUMNS} FROM rules_event_log`)),
      k.schema.dropTable('rules_event_log'),
      raw(k, sql`ALTER TABLE rules_event_log_v2 RENAME TO rules_event_log`),
    );
  }
  return [...statements, ...eventLogIndexes(k)];
}

/** The rules tables' migrations, both dialects. Append new ones; never edit a shipped one. */
export const RULES_MIGRATIONS: readonly SqlMigration[] = [{ name: '0001_rules', statements: initial }];

/**
 * Brings the rules tables up to date (scope `@plugboard/rules`); `RuleStore.open` calls it.
 * Safe on every start and from several processes at once.
 * @throws SqlError `PB_SQL_SCHEMA` when a newer version migrated the database.
 *
 * @example
 * ```ts
 * await migrateRules(await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/plugboard.db'));
 * ```
 */
export function migrateRules(db: SqlDatabase): Promise<string[]> {
  return migrate(db, RULES_SCOPE, RULES_MIGRATIONS);
}

/**
 * {@link migrateRules}, synchronously (SQLite only), for constructors that cannot await.
 * @example `migrateRulesSync(SqlDatabase.sqlite('data/plugboard.db'));`
 */
export function migrateRulesSync(db: SqlDatabase): string[] {
  return migrateSync(db, RULES_SCOPE, RULES_MIGRATIONS);
}
