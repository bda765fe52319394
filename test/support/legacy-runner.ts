import type { Database } from 'better-sqlite3';

/**
 * The hand-written SQLite migration runner of earlier releases (one `version` table per package,
 * e.g. `outbox_schema`, `webhooks_schema`), kept only to make files as those releases left them:
 * the upgrade tests open such files with today's code. Applies `migrations` (entry N upgrades to
 * version N) newer than the recorded version, in one immediate transaction.
 */
export function legacyMigrate(db: Database, schemaTable: string, migrations: readonly string[]): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${schemaTable} (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)`);
    const from = (db.prepare(`SELECT MAX(version) AS version FROM ${schemaTable}`).get() as { version: number | null }).version ?? 0;
    const record = db.prepare(`INSERT INTO ${schemaTable} (version, applied_at) VALUES (?, ?)`);
    for (let v = from + 1; v <= migrations.length; v++) {
      db.exec(migrations[v - 1] as string);
      record.run(v, Date.now());
    }
  }).immediate();
}
