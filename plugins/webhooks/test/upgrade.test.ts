import Database from 'better-sqlite3';
import { EndpointStore } from '@plugboard/webhooks';
import { legacyMigrate } from '../../../test/support/legacy-runner';
import { tempDir } from './helpers';

// The schema exactly as the hand-written runner of earlier releases applied it (version 1 in `webhooks_schema`).
const OLD_V1 = `
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
`;

/** A SQLite file as the old code left it: migrated by its runner, one endpoint with a delivery logged. */
function oldFile(file: string): void {
  const db = new Database(file);
  legacyMigrate(db, 'webhooks_schema', [OLD_V1]);
  db.prepare('INSERT INTO webhooks_endpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    'e1', 'crm', 'https://crm.example/hooks', JSON.stringify(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']), '["AccountCreated"]', '[]', 1, null, 1_700_000_000_000, 1_700_000_000_000,
  );
  db.prepare('INSERT INTO webhooks_deliveries (message_id, endpoint_id, event, created_at) VALUES (?, ?, ?, ?)').run('m1', 'e1', 'AccountCreated', 1_700_000_000_001);
  db.close();
}

describe('upgrading a SQLite file written by the hand-written migration runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    oldFile(tmp.file('app.db'));
  });
  afterEach(() => tmp.cleanup());

  it('opens with its endpoints, secrets and delivery log intact, and records the adopted schema once', async () => {
    const store = await EndpointStore.open(tmp.file('app.db'));
    try {
      expect(await store.get('crm')).toMatchObject({ id: 'e1', url: 'https://crm.example/hooks', events: ['AccountCreated'], enabled: true, createdAt: new Date(1_700_000_000_000) });
      expect(await store.signingSecrets('crm')).toEqual(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']);
      expect(await store.deliveries('crm')).toEqual([{ messageId: 'm1', endpointId: 'e1', event: 'AccountCreated', createdAt: new Date(1_700_000_000_001) }]);
      expect(store.matching('AccountCreated').map((e) => e.id)).toEqual(['e1']);
    } finally {
      await store.close();
    }
    const db = new Database(tmp.file('app.db'));
    try {
      // Opened again by the new code (synchronously, on the host's connection): nothing is migrated twice.
      expect(new EndpointStore(db).peek('crm')).toMatchObject({ id: 'e1' });
      expect(db.prepare("SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/webhooks'").pluck().all()).toEqual(['0001_endpoints']);
    } finally {
      db.close();
    }
  });
});
