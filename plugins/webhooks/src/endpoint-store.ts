import type { SecretBox } from '@plugboard/core';
import { isPostgresUrl, SqlDatabase, type Work } from '@plugboard/sql';
import type { Database as SqliteConnection } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { newEndpointRow, patchWork, secretsWork } from './endpoint-changes';
import { endpointExists, unknownEndpoint, type CreatedEndpoint, type DeliveryRecord, type DeliveryTarget, type EndpointInput, type EndpointPatch, type WebhookEndpoint } from './endpoint-model';
import { EndpointRoutes } from './endpoint-routes';
import { openedRow, resealWork, toEndpoint } from './endpoint-rows';
import { deleteEndpoint, deliveryInserter, deliveryRows, endpointRow, endpointRows, insertEndpoint, updateEndpoint } from './endpoint-works';
import { WebhookError } from './errors';
import { assertValidSecret, generateSecret } from './signing';
import { migrateWebhooks, migrateWebhooksSync, type EndpointRow, type WebhookTables } from './webhook-tables';

/** Options of {@link EndpointStore}. */
export interface EndpointStoreOptions {
  /** Seals each endpoint's URL and signing secrets at rest (AES-256-GCM); rows written before are sealed on open. */
  readonly secrets?: SecretBox;
  /** Told when the routing copy could not be reloaded after another process's write (it stays as it was until the next write). */
  readonly logger?: { warn(obj: Record<string, unknown>, msg: string): void };
}

/** Where the endpoints live: a {@link SqlDatabase} (either dialect), a better-sqlite3 Database (adopted, left open), or a SQLite path or `postgres://` URL. */
export type EndpointDatabase = SqlDatabase | SqliteConnection | string;

/**
 * Store of webhook endpoints (tables `webhooks_endpoints`, `webhooks_deliveries`) on SQLite or
 * PostgreSQL. Secrets are stored to sign with but never returned by `get`/`list`/`create`/
 * `update` — those show `***`. Publishing routes by an in-memory copy of the endpoints
 * ({@link EndpointStore.matching}) that every write refreshes, in every process on PostgreSQL.
 *
 * @example
 * ```ts
 * const store = await EndpointStore.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/app.db');
 * const { endpoint, generatedSecret } = await store.create({ name: 'crm', url: 'https://crm.example/hooks', events: ['AccountCreated'] });
 * await store.list();   // [{ name: 'crm', secrets: ['***'], … }]
 * ```
 */
export class EndpointStore {
  readonly db: SqlDatabase;
  private readonly k: Kysely<WebhookTables>;
  private readonly box: SecretBox | undefined;
  private readonly routes: EndpointRoutes;
  private readonly insertDelivery: ReturnType<typeof deliveryInserter>;
  private readonly ready: Promise<void>;
  private owns: boolean;
  private closed = false;

  /**
   * Opens the store synchronously on SQLite (migrated, re-sealed and loaded before it returns).
   * On PostgreSQL prefer {@link EndpointStore.open}; a store constructed on it gets ready in the
   * background and its calls wait for that.
   * @throws WebhookError `PB_WEBHOOK_INVALID_OPTION` for a `postgres://` URL (open it with `EndpointStore.open`).
   */
  constructor(database: EndpointDatabase, options: EndpointStoreOptions = {}) {
    if (typeof database === 'string' && isPostgresUrl(database)) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', 'A postgres:// URL is opened asynchronously: use await EndpointStore.open(url) (or Webhooks.open).');
    }
    this.owns = !(database instanceof SqlDatabase);
    this.db = database instanceof SqlDatabase ? database : SqlDatabase.sqlite(database);
    this.k = this.db.as<WebhookTables>();
    this.box = options.secrets;
    this.insertDelivery = deliveryInserter(this.k);
    this.routes = new EndpointRoutes(this.db, () => this.readEndpoints(), (err) =>
      options.logger?.warn({ err }, `The webhook endpoints could not be reloaded after a change (${err instanceof Error ? err.message : String(err)}); publishing routes by the last copy until the next change.`),
    );
    const sqlite = this.db.sqlite;
    if (sqlite === undefined) {
      this.ready = this.prepare();
      // Callers see the failure through every call; this keeps it from being reported as unhandled meanwhile.
      this.ready.catch(() => {});
      return;
    }
    try {
      migrateWebhooksSync(this.db);
      if (this.box !== undefined) this.db.transactSync(resealWork(this.k, this.box));
      this.routes.loadSync();
    } catch (e) {
      if (this.owns) void this.db.close();
      throw e;
    }
    this.ready = this.routes.follow();
  }

  /**
   * Opens the store on either dialect: migrates (scope `@plugboard/webhooks`), re-seals and loads
   * the routing copy, then follows other processes' writes.
   */
  static async open(database: EndpointDatabase, options: EndpointStoreOptions = {}): Promise<EndpointStore> {
    const ownDb = typeof database === 'string' && isPostgresUrl(database) ? await SqlDatabase.open(database) : undefined;
    const store = new EndpointStore(ownDb ?? database, options);
    if (ownDb !== undefined) store.owns = true;
    try {
      await store.ready;
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  private async prepare(): Promise<void> {
    await migrateWebhooks(this.db);
    if (this.box !== undefined) await this.db.transact(resealWork(this.k, this.box));
    // Listening before loading: a write between the two is then reloaded, not missed.
    await this.routes.follow();
    await this.routes.reload();
  }

  /** After this process's own write: its next publish must see it. */
  private written(): Promise<void> {
    return this.routes.reload();
  }

  /** Runs a work once the store is ready; on SQLite synchronously, before this returns. */
  private run<R>(work: Work<R>, transaction = false): Promise<R> {
    if (this.db.sqlite !== undefined) return transaction ? this.db.transact(work) : this.db.run(work);
    return this.ready.then(() => (transaction ? this.db.transact(work) : this.db.run(work)));
  }

  /** Seals what the current key did not seal; returns how many endpoints changed. */
  async resealAll(): Promise<number> {
    return this.box === undefined ? 0 : this.run(resealWork(this.k, this.box), true);
  }

  /** Adds an endpoint; generates a secret when none is given. */
  async create(input: EndpointInput): Promise<CreatedEndpoint> {
    const { row, generatedSecret } = newEndpointRow(this.box, input);
    if (!(await this.run(insertEndpoint(this.k, row), true))) throw endpointExists(row.name);
    await this.written();
    const endpoint = await this.require(row.id);
    return generatedSecret === undefined ? { endpoint } : { endpoint, generatedSecret };
  }

  /** The endpoint with this id or name, secrets masked. */
  async get(idOrName: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.row(idOrName);
    return row && toEndpoint(row);
  }

  /** Like {@link EndpointStore.get} but throws `PB_WEBHOOK_ENDPOINT_UNKNOWN` when absent. */
  async require(idOrName: string): Promise<WebhookEndpoint> {
    return toEndpoint(await this.requireRow(idOrName));
  }

  /** All endpoints by name, secrets masked. */
  async list(): Promise<WebhookEndpoint[]> {
    return (await this.run(endpointRows(this.k))).map((r) => toEndpoint(openedRow(this.box, r)));
  }

  /**
   * Enabled endpoints subscribed to `event` whose realms admit `realm`, from the in-memory copy
   * (no query: publishing is on the hot path); writes of any process show within a second.
   */
  matching(event: string, realm?: string): WebhookEndpoint[] {
    return this.routes.matching(event, realm);
  }

  /** The endpoint with this id or name from the in-memory copy, for code that cannot await (a page's labels). */
  peek(idOrName: string): WebhookEndpoint | undefined {
    return this.routes.find(idOrName);
  }

  /** Changes name, url, events, realms or enabled. Enabling clears `disabledReason`. */
  async update(idOrName: string, patch: EndpointPatch): Promise<WebhookEndpoint> {
    const id = await this.run(patchWork(this.k, this.box, idOrName, patch), true);
    await this.written();
    return this.require(id);
  }

  /** Deletes the endpoint (its delivery log index too). Returns false if it did not exist. */
  async remove(idOrName: string): Promise<boolean> {
    const row = await this.row(idOrName);
    if (!row) return false;
    const removed = await this.run(deleteEndpoint(this.k, row.id), true);
    await this.written();
    return removed;
  }

  /** Re-enables an endpoint (e.g. after its receiver was fixed following a 410). */
  enable(idOrName: string): Promise<WebhookEndpoint> {
    return this.update(idOrName, { enabled: true });
  }

  /** Disables an endpoint and records why; nothing is sent to it until it is enabled again. */
  async disable(idOrName: string, reason: string): Promise<WebhookEndpoint> {
    const row = await this.requireRow(idOrName);
    await this.run(updateEndpoint(this.k, row.id, { enabled: 0, disabled_reason: reason, updated_at: Date.now() }), true);
    await this.written();
    return this.require(row.id);
  }

  /**
   * Adds a secret for rotation (generated when not given) and returns it. Until
   * {@link EndpointStore.retireSecrets} is called every request carries one signature per secret.
   */
  async addSecret(idOrName: string, secret: string = generateSecret()): Promise<string> {
    assertValidSecret(secret);
    await this.run(secretsWork(this.k, this.box, idOrName, (secrets) => [secret, ...secrets]), true);
    return secret;
  }

  /** Ends a rotation: keeps only the newest `keep` secrets (default 1). */
  async retireSecrets(idOrName: string, keep = 1): Promise<WebhookEndpoint> {
    if (!Number.isInteger(keep) || keep < 1) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', `retireSecrets keeps at least one secret; got keep=${keep}.`);
    }
    return toEndpoint(await this.run(secretsWork(this.k, this.box, idOrName, (secrets) => secrets.slice(0, keep)), true));
  }

  /** The real secrets, newest first — for signing only; never return them from an API. */
  async signingSecrets(idOrName: string): Promise<readonly string[]> {
    return JSON.parse((await this.requireRow(idOrName)).secrets) as string[];
  }

  /** The endpoint's URL unmasked, for delivery. */
  async deliveryUrl(idOrName: string): Promise<string> {
    return (await this.requireRow(idOrName)).url;
  }

  /** The endpoint with its URL and secrets, read once per delivery attempt; `undefined` when it was deleted. */
  async deliveryTarget(idOrName: string): Promise<DeliveryTarget | undefined> {
    const row = await this.row(idOrName);
    return row && { endpoint: toEndpoint(row), url: row.url, secrets: JSON.parse(row.secrets) as string[] };
  }

  /** Records that outbox message `messageId` carries `event` to the endpoint (delivery log index). */
  recordDelivery(messageId: string, endpointId: string, event: string): Promise<void> {
    return this.run(this.insertDelivery({ message_id: messageId, endpoint_id: endpointId, event, created_at: Date.now() })).then(() => {});
  }

  /** {@link EndpointStore.recordDelivery} now (SQLite only), inside the caller's transaction when it has one. */
  recordDeliverySync(messageId: string, endpointId: string, event: string): void {
    this.db.transactSync(this.insertDelivery({ message_id: messageId, endpoint_id: endpointId, event, created_at: Date.now() }));
  }

  /** Messages queued for the endpoint, newest first. */
  async deliveries(idOrName: string, options: { limit?: number; offset?: number } = {}): Promise<DeliveryRecord[]> {
    const row = await this.requireRow(idOrName);
    const rows = await this.run(deliveryRows(this.k, row.id, options.limit ?? 100, options.offset ?? 0));
    return rows.map((r) => ({ messageId: r.message_id, endpointId: r.endpoint_id, event: r.event, createdAt: new Date(Number(r.created_at)) }));
  }

  /** Stops following other processes' writes; closes the database when the store opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.routes.stop();
    if (this.owns) await this.db.close();
  }

  private *readEndpoints(): Work<WebhookEndpoint[]> {
    return (yield* endpointRows(this.k)).map((r) => toEndpoint(openedRow(this.box, r)));
  }

  private async row(idOrName: string): Promise<EndpointRow | undefined> {
    const row = await this.run(endpointRow(this.k, idOrName));
    return row && openedRow(this.box, row);
  }

  private async requireRow(idOrName: string): Promise<EndpointRow> {
    const row = await this.row(idOrName);
    if (!row) throw unknownEndpoint(idOrName);
    return row;
  }
}
