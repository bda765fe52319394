import Database from 'better-sqlite3';
import { EndpointStore } from './endpoint-store';
import { WebhookError } from './errors';
import { migrateWebhooks, WEBHOOK_SCHEMA_VERSION } from './migrations';

const versions = (db: Database.Database): number[] =>
  db.prepare('SELECT version FROM webhooks_schema ORDER BY version').pluck().all() as number[];

describe('migrateWebhooks', () => {
  it('creates the tables on a new database and records the version once', () => {
    const db = new Database(':memory:');
    expect(migrateWebhooks(db)).toBe(0);
    expect(migrateWebhooks(db)).toBe(WEBHOOK_SCHEMA_VERSION);
    expect(versions(db)).toEqual([1]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'webhooks_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['webhooks_deliveries', 'webhooks_endpoints', 'webhooks_schema']);
    db.close();
  });

  it('adopts a database whose tables were created before the schema was versioned, keeping its endpoints', () => {
    const db = new Database(':memory:');
    // What EndpointStore ran on every start before `webhooks_schema` existed.
    db.exec(`
      CREATE TABLE webhooks_endpoints (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL, secrets TEXT NOT NULL,
        events TEXT NOT NULL, realms TEXT NOT NULL, enabled INTEGER NOT NULL, disabled_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE webhooks_deliveries (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, endpoint_id TEXT NOT NULL, event TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX webhooks_deliveries_endpoint ON webhooks_deliveries (endpoint_id, seq);
      INSERT INTO webhooks_endpoints VALUES ('e1', 'crm', 'https://crm.example/hooks', '[]', '[]', '[]', 1, NULL, 1, 1);
    `);
    const store = new EndpointStore(db);
    expect(versions(db)).toEqual([1]);
    expect(store.get('crm')).toMatchObject({ id: 'e1', url: 'https://crm.example/hooks', enabled: true });
    db.close();
  });

  it('refuses a database migrated by a newer @plugboard/webhooks, naming both versions', () => {
    const db = new Database(':memory:');
    migrateWebhooks(db);
    db.prepare('INSERT INTO webhooks_schema (version, applied_at) VALUES (?, ?)').run(WEBHOOK_SCHEMA_VERSION + 1, Date.now());
    let error: unknown;
    try {
      new EndpointStore(db);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code: 'PB_WEBHOOK_SCHEMA' });
    expect((error as Error).message).toContain(`schema version ${WEBHOOK_SCHEMA_VERSION + 1}, newer than this @plugboard/webhooks understands (${WEBHOOK_SCHEMA_VERSION})`);
    db.close();
  });
});
