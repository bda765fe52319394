import type { ExtensionStateStore } from '@plugboard/core';
import type { Database } from './db';

/**
 * Persists which extensions are enabled in the `extensions` table, so the state survives
 * a restart (the manager consults it when installing).
 *
 * @example
 * ```ts
 * const manager = new ExtensionManager({ bus, container, store: new SqliteExtensionStore(db) });
 * ```
 */
export class SqliteExtensionStore implements ExtensionStateStore {
  constructor(private readonly db: Database) {}

  load(name: string): boolean | undefined {
    const row = this.db.sql.prepare('SELECT enabled FROM extensions WHERE name = ?').get(name) as { enabled: number } | undefined;
    return row === undefined ? undefined : row.enabled === 1;
  }

  save(name: string, enabled: boolean): void {
    this.db.sql
      .prepare('INSERT INTO extensions (name, enabled, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at')
      .run(name, enabled ? 1 : 0, new Date().toISOString());
  }
}
