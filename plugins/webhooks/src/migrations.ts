import type Database from 'better-sqlite3';
import { migrateSchema } from '@plugboard/outbox';
import { WebhookError } from './errors';

/**
 * Versioned schema of the webhook tables. Each entry upgrades from the previous version; never
 * edit a shipped entry, append a new one. The applied version is kept in `webhooks_schema` (not
 * `PRAGMA user_version`, which belongs to the host).
 */
export const WEBHOOK_MIGRATIONS: readonly string[] = [
  // v1. `IF NOT EXISTS` because releases before the schema was versioned created these very
  // tables on every start: such a database is adopted as version 1 with its rows.
  `
  CREATE TABLE IF NOT EXISTS webhooks_endpoints (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    url             TEXT NOT NULL,
    secrets         TEXT NOT NULL,
    events          TEXT NOT NULL,
    realms          TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    disabled_reason TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS webhooks_deliveries (
    seq         INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    endpoint_id TEXT NOT NULL,
    event       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS webhooks_deliveries_endpoint ON webhooks_deliveries (endpoint_id, seq);
  `,
];

/** Schema version of the webhook tables this code expects. */
export const WEBHOOK_SCHEMA_VERSION = WEBHOOK_MIGRATIONS.length;

/**
 * Brings the webhook tables up to {@link WEBHOOK_SCHEMA_VERSION} in one immediate transaction
 * (two processes opening the file at once cannot both migrate); returns the version found.
 *
 * @throws WebhookError `PB_WEBHOOK_SCHEMA` when a newer @plugboard/webhooks already migrated the database.
 *
 * @example
 * ```ts
 * migrateWebhooks(db); // 0 on a new database, then 1
 * ```
 */
export function migrateWebhooks(db: Database.Database): number {
  return migrateSchema(
    db,
    'webhooks_schema',
    WEBHOOK_MIGRATIONS,
    (found, known) =>
      new WebhookError(
        'PB_WEBHOOK_SCHEMA',
        `The webhook tables are at schema version ${found}, newer than this @plugboard/webhooks understands (${known}); upgrade @plugboard/webhooks.`,
      ),
  );
}
