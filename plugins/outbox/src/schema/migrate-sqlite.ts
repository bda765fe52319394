import type { Database } from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { OutboxError } from '../errors';
import { MIGRATION_TABLE, migrationStatements, OUTBOX_MIGRATION_NAMES } from './outbox-migrations';

/**
 * Runs the outbox's Kysely migrations on a better-sqlite3 connection synchronously, so
 * `new Outbox({ database })` stays synchronous. It keeps Kysely Migrator's bookkeeping (same
 * table, same columns, same names), so a file migrated here is up to date for `Migrator` and the
 * other way round. One immediate transaction: two processes opening the file at once cannot both
 * migrate. Returns the names it applied.
 */
export function migrateSqliteSync(db: Database): string[] {
  // Building a Kysely instance opens nothing; it is only used to compile the statements.
  const compiler = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
  const run = db.transaction((): string[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATION_TABLE}" ("name" varchar(255) NOT NULL PRIMARY KEY, "timestamp" varchar(255) NOT NULL)`);
    const done = new Set(db.prepare(`SELECT name FROM "${MIGRATION_TABLE}"`).pluck().all() as string[]);
    const known = new Set<string>(OUTBOX_MIGRATION_NAMES);
    const unknown = [...done].filter((n) => !known.has(n));
    if (unknown.length > 0) throw tooNew(unknown);
    const record = db.prepare(`INSERT INTO "${MIGRATION_TABLE}" (name, timestamp) VALUES (?, ?)`);
    const applied: string[] = [];
    for (const name of OUTBOX_MIGRATION_NAMES) {
      if (done.has(name)) continue;
      for (const q of migrationStatements(name, compiler, 'sqlite')) db.prepare(q.sql).run(...q.parameters);
      record.run(name, new Date().toISOString());
      applied.push(name);
    }
    return applied;
  });
  return run.immediate();
}

/** The database was migrated by a newer `@plugboard/outbox`. */
export function tooNew(unknown: readonly string[]): OutboxError {
  return new OutboxError(
    'PB_OUTBOX_SCHEMA',
    `The outbox tables carry migration(s) ${unknown.join(', ')} that this @plugboard/outbox does not know (it knows ${OUTBOX_MIGRATION_NAMES.join(', ')}); upgrade @plugboard/outbox.`,
  );
}
