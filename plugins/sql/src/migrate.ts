import { sql, type Compilable, type Kysely } from 'kysely';
import { SqlError } from './errors';
import { raw } from './raw';
import type { SqlDatabase, SqlDialect } from './sql-database';
import { all, exec, type Work } from './work';

/**
 * One schema step of a scope. Never edit a shipped one: append a new one. Statements are built
 * with the Kysely given (schema builder, or {@link raw} for what it lacks), per dialect.
 */
export interface SqlMigration {
  readonly name: string;
  statements(db: Kysely<unknown>, dialect: SqlDialect): readonly Compilable<unknown>[];
}

const TABLE = 'plugboard_migrations';

interface Applied {
  readonly name: string;
}

/**
 * Brings the tables of `scope` (a package's name) up to date, in one transaction that also holds
 * a lock, so processes starting at once migrate once. Every scope's history is one table,
 * `plugboard_migrations`. Returns the names applied.
 * @throws SqlError `PB_SQL_SCHEMA` when the database knows migrations this code does not (a newer version migrated it); `PB_SQL_MIGRATION` when a statement fails.
 *
 * @example
 * ```ts
 * await migrate(db, '@acme/notes', [{ name: '0001_notes', statements: (k) => [k.schema.createTable('notes').addColumn('id', 'integer', (c) => c.primaryKey())] }]);
 * ```
 */
export async function migrate(db: SqlDatabase, scope: string, migrations: readonly SqlMigration[]): Promise<string[]> {
  return db.transact(migrationWork(db, scope, migrations));
}

/** {@link migrate}, synchronously (SQLite only), for constructors that cannot await. */
export function migrateSync(db: SqlDatabase, scope: string, migrations: readonly SqlMigration[]): string[] {
  return db.transactSync(migrationWork(db, scope, migrations));
}

function* migrationWork(db: SqlDatabase, scope: string, migrations: readonly SqlMigration[]): Work<string[]> {
  const k = db.as<Record<typeof TABLE, { scope: string; name: string; applied_at: string }>>();
  const untyped = k as unknown as Kysely<unknown>;
  if (db.dialect === 'postgres') yield* exec(raw(untyped, sql`SELECT pg_advisory_xact_lock(hashtext(${TABLE}))`));
  yield* exec(
    k.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${TABLE}_pkey`, ['scope', 'name']),
  );
  const done = new Set((yield* all<Applied>(k.selectFrom(TABLE).select('name').where('scope', '=', scope))).map((r) => r.name));
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...done].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new SqlError('PB_SQL_SCHEMA', `The database carries migration(s) ${unknown.join(', ')} of ${scope} that this code does not know (it knows ${[...known].join(', ')}); upgrade ${scope}.`);
  }
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    try {
      for (const statement of m.statements(untyped, db.dialect)) yield* exec(statement);
    } catch (err) {
      throw new SqlError('PB_SQL_MIGRATION', `Migration ${m.name} of ${scope} failed: ${err instanceof Error ? err.message : String(err)}; fix the database, then open again.`, { cause: err });
    }
    yield* exec(k.insertInto(TABLE).values({ scope, name: m.name, applied_at: new Date().toISOString() }));
    applied.push(m.name);
  }
  return applied;
}
