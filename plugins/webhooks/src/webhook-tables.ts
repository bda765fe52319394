import { migrate, migrateSync, type SqlDatabase, type SqlMigration } from '@plugboard/sql';

/** A stored endpoint; `url` and `secrets` are sealed when a key is set. Times are epoch ms (bigint on PostgreSQL, read back as strings). */
export interface EndpointRow {
  id: string;
  name: string;
  url: string;
  /** JSON array of `whsec_…`, newest first. */
  secrets: string;
  events: string;
  realms: string;
  enabled: number;
  disabled_reason: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** One message queued for an endpoint. */
export interface DeliveryRow {
  seq?: number | string;
  message_id: string;
  endpoint_id: string;
  event: string;
  created_at: number | string;
}

/** The tables of @plugboard/webhooks, for `db.as<WebhookTables>()`. */
export interface WebhookTables {
  webhooks_endpoints: EndpointRow;
  webhooks_deliveries: DeliveryRow;
}

/** Migration scope of the webhook tables in `plugboard_migrations`. */
export const WEBHOOK_SCOPE = '@plugboard/webhooks';

/**
 * The schema of the webhook tables, per dialect. Never edit a shipped entry, append one.
 * `IF NOT EXISTS` because a SQLite file from the releases with a hand-written runner (version
 * kept in `webhooks_schema`) already holds these very tables: it is adopted with its rows.
 */
export const WEBHOOK_MIGRATIONS: readonly SqlMigration[] = [
  {
    name: '0001_endpoints',
    statements: (k, dialect) => {
      // Epoch milliseconds overflow PostgreSQL's 32-bit integer; SQLite's integer is 64-bit already.
      const time = dialect === 'postgres' ? 'bigint' : 'integer';
      return [
        k.schema
          .createTable('webhooks_endpoints')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('secrets', 'text', (c) => c.notNull())
          .addColumn('events', 'text', (c) => c.notNull())
          .addColumn('realms', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull()),
        k.schema
          .createTable('webhooks_deliveries')
          .ifNotExists()
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
          .addColumn('message_id', 'text', (c) => c.notNull().unique())
          .addColumn('endpoint_id', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull()),
        k.schema.createIndex('webhooks_deliveries_endpoint').ifNotExists().on('webhooks_deliveries').columns(['endpoint_id', 'seq']),
      ];
    },
  },
];

/**
 * Brings the webhook tables up to date (either dialect); returns the migrations applied.
 * @throws SqlError `PB_SQL_SCHEMA` when a newer @plugboard/webhooks migrated the database.
 *
 * @example
 * ```ts
 * await migrateWebhooks(await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/app.db'));
 * ```
 */
export function migrateWebhooks(db: SqlDatabase): Promise<string[]> {
  return migrate(db, WEBHOOK_SCOPE, WEBHOOK_MIGRATIONS);
}

/** {@link migrateWebhooks}, synchronously (SQLite only). */
export function migrateWebhooksSync(db: SqlDatabase): string[] {
  return migrateSync(db, WEBHOOK_SCOPE, WEBHOOK_MIGRATIONS);
}
