import type { ExtensionStateStore } from '@plugboard/core';
import type { Database } from './db';

/**
 * Persists which extensions are enabled (and why one was disabled, e.g. by the circuit breaker) in the `extensions` table, so the state survives
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

  save(name: string, enabled: boolean, reason?: string): void {
    this.db.sql
      .prepare(
        'INSERT INTO extensions (name, enabled, reason, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, reason = excluded.reason, updated_at = excluded.updated_at',
      )
      .run(name, enabled ? 1 : 0, enabled ? null : reason ?? null, new Date().toISOString());
  }

  reason(name: string): string | undefined {
    const row = this.db.sql.prepare('SELECT reason FROM extensions WHERE name = ? AND enabled = 0').get(name) as { reason: string | null } | undefined;
    return row?.reason ?? undefined;
  }
}
