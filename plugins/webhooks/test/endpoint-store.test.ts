import Database from 'better-sqlite3';
import { EndpointStore, generateSecret } from '@plugboard/webhooks';
import { tempDir } from './helpers';

describe('EndpointStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let store: EndpointStore;

  beforeEach(() => {
    tmp = tempDir();
    db = new Database(tmp.file('app.db'));
    store = new EndpointStore(db);
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  it('keeps its tables under the webhooks_ prefix', () => {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
    expect(tables.sort()).toEqual(['webhooks_deliveries', 'webhooks_endpoints', 'webhooks_schema']);
  });

  it('generates a secret when none is given, returns it once, and masks secrets everywhere else', () => {
    const { endpoint, generatedSecret } = store.create({ name: 'crm', url: 'https://crm.example/hooks', events: ['AccountCreated'], realms: ['r1'] });
    expect(generatedSecret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ name: 'crm', url: 'https://crm.example/hooks', secrets: ['***'], events: ['AccountCreated'], realms: ['r1'], enabled: true });
    const given = generateSecret();
    expect(store.create({ name: 'b', url: 'https://b.example', secrets: [given] }).generatedSecret).toBeUndefined();
    const listing = JSON.stringify([store.list(), store.get('crm'), store.get('b'), store.update('crm', { realms: [] })]);
    expect(listing).not.toContain(generatedSecret!);
    expect(listing).not.toContain(given.slice(6));
    expect(store.signingSecrets('b')).toEqual([given]);
  });

  it('rotates secrets: a new secret is added first, retiring keeps the newest', () => {
    const first = generateSecret();
    const { endpoint } = store.create({ name: 'crm', url: 'https://crm.example', secrets: [first] });
    const second = store.addSecret(endpoint.id);
    expect(store.signingSecrets(endpoint.id)).toEqual([second, first]);
    expect(store.get(endpoint.id)!.secrets).toEqual(['***', '***']);
    store.retireSecrets(endpoint.id);
    expect(store.signingSecrets(endpoint.id)).toEqual([second]);
    expect(() => store.retireSecrets(endpoint.id, 0)).toThrow(/at least one/);
  });

  it('rejects invalid input with a message naming the field', () => {
    expect(() => store.create({ name: 'x', url: 'ftp://x.example' })).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_INVALID', message: expect.stringMatching(/url/) }));
    expect(() => store.create({ name: '', url: 'https://x.example' })).toThrow(/name/);
    expect(() => store.create({ name: 'x', url: 'https://x.example', secrets: ['plain'] })).toThrow(/whsec_/);
    store.create({ name: 'x', url: 'https://x.example' });
    expect(() => store.create({ name: 'x', url: 'https://y.example' })).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_EXISTS' }));
    expect(() => store.update('nope', {})).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_UNKNOWN' }));
  });

  it('disables with a reason, enables again, updates and removes', () => {
    const { endpoint } = store.create({ name: 'crm', url: 'https://crm.example' });
    expect(store.disable('crm', 'receiver answered 410 Gone')).toMatchObject({ enabled: false, disabledReason: 'receiver answered 410 Gone' });
    expect(store.matching('A')).toEqual([]);
    expect(store.enable(endpoint.id)).toMatchObject({ enabled: true });
    expect(store.update('crm', { name: 'crm2', url: 'https://crm2.example' })).toMatchObject({ name: 'crm2', url: 'https://crm2.example' });
    store.recordDelivery('m1', endpoint.id, 'A');
    expect(store.deliveries('crm2')).toEqual([expect.objectContaining({ messageId: 'm1', event: 'A' })]);
    expect(store.remove('crm2')).toBe(true);
    expect(store.remove('crm2')).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM webhooks_deliveries').get()).toEqual({ n: 0 });
  });

  it('persists across reopening the database file', () => {
    store.create({ name: 'crm', url: 'https://crm.example', events: ['A'] });
    db.close();
    db = new Database(tmp.file('app.db'));
    expect(new EndpointStore(db).get('crm')).toMatchObject({ events: ['A'], enabled: true });
  });
});
