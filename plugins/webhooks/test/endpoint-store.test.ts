import { generateSecretKey, SecretBox, decodeSecretKey } from '@plugboard/core';
import { SqlDatabase } from '@plugboard/sql';
import { sql } from 'kysely';
import { EndpointStore, generateSecret } from '@plugboard/webhooks';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';
import { tempDir } from './helpers';

type Dialect = 'sqlite' | 'postgres';

/** A database of the dialect, reopenable (a second process, a restart) until `drop`. */
async function testDatabase(dialect: Dialect): Promise<{ open: () => Promise<SqlDatabase>; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const tmp = tempDir();
    return { open: async () => SqlDatabase.sqlite(tmp.file('app.db')), drop: async () => tmp.cleanup() };
  }
  const pg: TestDatabase = await pgDatabase('webhooks-store');
  return { open: () => SqlDatabase.open(pg.url()), drop: () => pg.drop() };
}

describe.each<Dialect>(['sqlite', 'postgres'])('EndpointStore on %s', (dialect) => {
  let target: Awaited<ReturnType<typeof testDatabase>>;
  let db: SqlDatabase;
  let store: EndpointStore;

  beforeEach(async () => {
    target = await testDatabase(dialect);
    db = await target.open();
    store = await EndpointStore.open(db);
  });
  afterEach(async () => {
    await store.close();
    await db.close();
    await target.drop();
  });

  it('keeps its tables under the webhooks_ prefix and records its migration in plugboard_migrations', async () => {
    const k = db.as<Record<string, never>>();
    const tables =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'webhooks_%'`.execute(k)
        : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'webhooks_%'`.execute(k);
    expect(tables.rows.map((t) => t.name).sort()).toEqual(['webhooks_deliveries', 'webhooks_endpoints']);
    const applied = await sql<{ name: string }>`SELECT name FROM plugboard_migrations WHERE scope = '@plugboard/webhooks'`.execute(k);
    expect(applied.rows).toEqual([{ name: '0001_endpoints' }]);
  });

  it('generates a secret when none is given, returns it once, and masks secrets everywhere else', async () => {
    const { endpoint, generatedSecret } = await store.create({ name: 'crm', url: 'https://crm.example/hooks', events: ['AccountCreated'], realms: ['r1'] });
    expect(generatedSecret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ name: 'crm', url: 'https://crm.example/hooks', secrets: ['***'], events: ['AccountCreated'], realms: ['r1'], enabled: true });
    expect(endpoint.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const given = generateSecret();
    expect((await store.create({ name: 'b', url: 'https://b.example', secrets: [given] })).generatedSecret).toBeUndefined();
    const listing = JSON.stringify([await store.list(), await store.get('crm'), await store.get('b'), await store.update('crm', { realms: [] })]);
    expect(listing).not.toContain(generatedSecret!);
    expect(listing).not.toContain(given.slice(6));
    expect(await store.signingSecrets('b')).toEqual([given]);
  });

  it('rotates secrets: a new secret is added first, retiring keeps the newest', async () => {
    const first = generateSecret();
    const { endpoint } = await store.create({ name: 'crm', url: 'https://crm.example', secrets: [first] });
    const second = await store.addSecret(endpoint.id);
    expect(await store.signingSecrets(endpoint.id)).toEqual([second, first]);
    expect((await store.get(endpoint.id))!.secrets).toEqual(['***', '***']);
    await store.retireSecrets(endpoint.id);
    expect(await store.signingSecrets(endpoint.id)).toEqual([second]);
    await expect(store.retireSecrets(endpoint.id, 0)).rejects.toThrow(/at least one/);
  });

  it('rejects invalid input with a message naming the field', async () => {
    await expect(store.create({ name: 'x', url: 'ftp://x.example' })).rejects.toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_INVALID', message: expect.stringMatching(/url/) }));
    await expect(store.create({ name: '', url: 'https://x.example' })).rejects.toThrow(/name/);
    await expect(store.create({ name: 'x', url: 'https://x.example', secrets: ['plain'] })).rejects.toThrow(/whsec_/);
    await store.create({ name: 'x', url: 'https://x.example' });
    await expect(store.create({ name: 'x', url: 'https://y.example' })).rejects.toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_EXISTS' }));
    await store.create({ name: 'y', url: 'https://y.example' });
    await expect(store.update('y', { name: 'x' })).rejects.toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_EXISTS' }));
    await expect(store.update('nope', {})).rejects.toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_UNKNOWN' }));
  });

  it('disables with a reason, enables again, updates and removes, routing by the current state', async () => {
    const { endpoint } = await store.create({ name: 'crm', url: 'https://crm.example' });
    expect(store.matching('A').map((e) => e.name)).toEqual(['crm']);
    expect(await store.disable('crm', 'receiver answered 410 Gone')).toMatchObject({ enabled: false, disabledReason: 'receiver answered 410 Gone' });
    expect(store.matching('A')).toEqual([]);
    expect(await store.enable(endpoint.id)).toMatchObject({ enabled: true });
    expect(await store.update('crm', { name: 'crm2', url: 'https://crm2.example' })).toMatchObject({ name: 'crm2', url: 'https://crm2.example' });
    expect(store.peek(endpoint.id)).toMatchObject({ name: 'crm2', enabled: true });
    await store.recordDelivery('m1', endpoint.id, 'A');
    await store.recordDelivery('m1', endpoint.id, 'A');
    expect(await store.deliveries('crm2')).toEqual([expect.objectContaining({ messageId: 'm1', event: 'A', createdAt: expect.any(Date) })]);
    expect(await store.remove('crm2')).toBe(true);
    expect(await store.remove('crm2')).toBe(false);
    expect(store.matching('A')).toEqual([]);
    const left = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM webhooks_deliveries`.execute(db.as<Record<string, never>>());
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it('persists across reopening the database', async () => {
    await store.create({ name: 'crm', url: 'https://crm.example', events: ['A'] });
    const again = await target.open();
    const reopened = await EndpointStore.open(again);
    try {
      expect(await reopened.get('crm')).toMatchObject({ events: ['A'], enabled: true });
      expect(reopened.matching('A').map((e) => e.name)).toEqual(['crm']);
    } finally {
      await reopened.close();
      await again.close();
    }
  });

  it('keeps URLs and signing secrets sealed at rest, and seals rows written without a key on open', async () => {
    const plainSecret = generateSecret();
    await store.create({ name: 'before', url: 'https://before.example/hooks', secrets: [plainSecret] });
    const box = new SecretBox([decodeSecretKey(generateSecretKey(), 'test key')]);
    const sealed = await EndpointStore.open(db, { secrets: box });
    try {
      const secret = generateSecret();
      await sealed.create({ name: 'after', url: 'https://after.example/hooks', secrets: [secret] });
      const raw = await sql<{ name: string; url: string; secrets: string }>`SELECT name, url, secrets FROM webhooks_endpoints ORDER BY name`.execute(db.as<Record<string, never>>());
      const text = JSON.stringify(raw.rows);
      for (const plain of ['after.example', secret.slice(6), 'before.example', plainSecret.slice(6)]) expect(text).not.toContain(plain);
      expect(raw.rows.every((r) => !box.needsReseal(r.url) && !box.needsReseal(r.secrets))).toBe(true);
      expect(await sealed.signingSecrets('after')).toEqual([secret]);
      expect(await sealed.deliveryUrl('before')).toBe('https://before.example/hooks');
    } finally {
      await sealed.close();
    }
  });
});
