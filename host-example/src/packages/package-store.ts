import type { Database } from '../db';

/** One extension package the operator added. */
export interface PackageRecord {
  readonly name: string;
  /** What was added: a path, a tarball or a registry spec. */
  readonly source: string;
  readonly version: string;
  readonly addedAt: string;
}

/**
 * The extension packages added to this host (`extension_packages`). Every process sharing the
 * database reads it: `serve` loads what it lists and notices additions and removals.
 */
export class PackageStore {
  constructor(private readonly db: Database) {}

  list(): PackageRecord[] {
    const rows = this.db.sql.prepare('SELECT name, source, version, added_at FROM extension_packages ORDER BY added_at, name').all() as {
      name: string;
      source: string;
      version: string;
      added_at: string;
    }[];
    return rows.map((r) => ({ name: r.name, source: r.source, version: r.version, addedAt: r.added_at }));
  }

  save(record: Omit<PackageRecord, 'addedAt'>): void {
    this.db.sql
      .prepare('INSERT INTO extension_packages (name, source, version, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET source = excluded.source, version = excluded.version')
      .run(record.name, record.source, record.version, new Date().toISOString());
  }

  remove(name: string): boolean {
    return this.db.sql.prepare('DELETE FROM extension_packages WHERE name = ?').run(name).changes > 0;
  }
}
