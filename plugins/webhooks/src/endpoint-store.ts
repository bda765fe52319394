import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { openStored, sealStored, secret, type SecretBox } from '@plugboard/core';
import { z } from 'zod';
import { WebhookError } from './errors';
import { migrateWebhooks } from './migrations';
import { realmAllows } from './realms';
import { assertValidSecret, generateSecret } from './signing';

/** What any listing shows instead of a secret. */
export const MASK = '***';

/** A webhook endpoint as shown to callers: secrets are always masked. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  /** One `***` per active secret (newest first); the values are never returned. */
  readonly secrets: readonly string[];
  /** Event names delivered to this endpoint; empty = every event. */
  readonly events: readonly string[];
  /** Realms (eventhooks rule); empty = every call. */
  readonly realms: readonly string[];
  readonly enabled: boolean;
  /** Why the endpoint was disabled (e.g. the receiver answered 410 Gone). */
  readonly disabledReason?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Input of {@link EndpointStore.create}. */
export interface EndpointInput {
  readonly name: string;
  readonly url: string;
  /** Active `whsec_…` secrets; one is generated when none is given. */
  readonly secrets?: readonly string[];
  readonly events?: readonly string[];
  readonly realms?: readonly string[];
  readonly enabled?: boolean;
}

/** Changes accepted by {@link EndpointStore.update} (secrets change through addSecret/retireSecrets). */
export interface EndpointPatch {
  readonly name?: string;
  readonly url?: string;
  readonly events?: readonly string[];
  readonly realms?: readonly string[];
  readonly enabled?: boolean;
}

/** Result of {@link EndpointStore.create}. */
export interface CreatedEndpoint {
  readonly endpoint: WebhookEndpoint;
  /** The secret generated because none was given: show it to the receiver's owner once. */
  readonly generatedSecret?: string;
}

/** A message queued for an endpoint (the delivery log's index; states live in the outbox). */
export interface DeliveryRecord {
  readonly messageId: string;
  readonly endpointId: string;
  readonly event: string;
  readonly createdAt: Date;
}

interface EndpointRow {
  id: string;
  name: string;
  url: string;
  secrets: string;
  events: string;
  realms: string;
  enabled: number;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');
const names = z.array(z.string().trim().min(1)).readonly();
/** Schema of a new endpoint (its `url` and `secrets` are declared secret). */
export const endpointInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  url: secret(httpUrl),
  secrets: secret(z.array(z.string())).optional(),
  events: names.optional(),
  realms: names.optional(),
  enabled: z.boolean().optional(),
});
const patchSchema = endpointInputSchema.omit({ secrets: true }).partial();

function invalid(error: z.ZodError, what: string): WebhookError {
  const why = error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ');
  return new WebhookError('PB_WEBHOOK_ENDPOINT_INVALID', `Invalid ${what}: ${why}. Fix these fields and try again.`, { cause: error });
}

/**
 * SQLite store of webhook endpoints (tables `webhooks_endpoints`, `webhooks_deliveries`),
 * sharing the host's database. Secrets are stored to sign with but never returned by
 * `get`/`list`/`create`/`update` — those show `***`.
 *
 * @example
 * ```ts
 * const store = new EndpointStore(db);
 * const { endpoint, generatedSecret } = store.create({ name: 'crm', url: 'https://crm.example/hooks', events: ['AccountCreated'] });
 * store.list();   // [{ name: 'crm', secrets: ['***'], … }]
 * ```
 */
export class EndpointStore {
  readonly db: Database.Database;

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared statements, compiled once per SQL text (several run for every delivery). */
  private statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (st === undefined) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st as unknown as Database.Statement<P, R>;
  }

  private readonly box: SecretBox | undefined;

  /**
   * @param options.secrets seals each endpoint's URL and signing secrets at rest (AES-256-GCM);
   *   rows written before are sealed on open. Without it they are stored as given.
   */
  constructor(database: Database.Database | string, options: { secrets?: SecretBox } = {}) {
    this.db = typeof database === 'string' ? new Database(database) : database;
    this.box = options.secrets;
    try {
      migrateWebhooks(this.db);
      if (this.box !== undefined) this.resealAll();
    } catch (e) {
      if (typeof database === 'string') this.db.close();
      throw e;
    }
  }

  /**
   * Seals every URL and secret list not sealed with the current key (plaintext from earlier
   * releases, or a previous key after a rotation); returns how many rows changed.
   */
  resealAll(): number {
    const box = this.box;
    if (box === undefined) return 0;
    const rows = this.statement<[], EndpointRow>('SELECT * FROM webhooks_endpoints').all();
    const stale = rows.filter((r) => box.needsReseal(r.url) || box.needsReseal(r.secrets));
    this.db.transaction(() => {
      for (const r of stale) {
        this.statement('UPDATE webhooks_endpoints SET url = ?, secrets = ? WHERE id = ?').run(box.seal(box.open(r.url)), box.seal(box.open(r.secrets)), r.id);
      }
    })();
    return stale.length;
  }

  /** Adds an endpoint; generates a secret when none is given. */
  create(input: EndpointInput): CreatedEndpoint {
    const parsed = endpointInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error, 'webhook endpoint');
    const value = parsed.data;
    const given = value.secrets ?? [];
    given.forEach(assertValidSecret);
    const generatedSecret = given.length === 0 ? generateSecret() : undefined;
    const secrets = generatedSecret === undefined ? given : [generatedSecret];
    if (this.row(value.name)) {
      throw new WebhookError('PB_WEBHOOK_ENDPOINT_EXISTS', `A webhook endpoint named "${value.name}" already exists; choose another name or update it.`);
    }
    const now = Date.now();
    const id = randomUUID();
    this.statement(
        `INSERT INTO webhooks_endpoints (id, name, url, secrets, events, realms, enabled, disabled_reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      )
      .run(id, value.name, sealStored(this.box, value.url), sealStored(this.box, JSON.stringify(secrets)), JSON.stringify(value.events ?? []), JSON.stringify(value.realms ?? []), value.enabled === false ? 0 : 1, now, now);
    const endpoint = this.require(id);
    return generatedSecret === undefined ? { endpoint } : { endpoint, generatedSecret };
  }

  /** The endpoint with this id or name, secrets masked. */
  get(idOrName: string): WebhookEndpoint | undefined {
    const row = this.row(idOrName);
    return row ? toEndpoint(row) : undefined;
  }

  /** Like {@link EndpointStore.get} but throws `PB_WEBHOOK_ENDPOINT_UNKNOWN` when absent. */
  require(idOrName: string): WebhookEndpoint {
    return toEndpoint(this.requireRow(idOrName));
  }

  /** All endpoints by name, secrets masked. */
  list(): WebhookEndpoint[] {
    return this.statement<[], EndpointRow>('SELECT * FROM webhooks_endpoints ORDER BY name').all().map((r) => toEndpoint(this.opened(r)));
  }

  /** Enabled endpoints subscribed to `event` whose realms admit `realm`. */
  matching(event: string, realm?: string): WebhookEndpoint[] {
    return this.list().filter(
      (e) => e.enabled && (e.events.length === 0 || e.events.includes(event) || e.events.includes('*')) && realmAllows(e.realms, realm),
    );
  }

  /** Changes name, url, events, realms or enabled. Enabling clears `disabledReason`. */
  update(idOrName: string, patch: EndpointPatch): WebhookEndpoint {
    const row = this.requireRow(idOrName);
    const parsed = patchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(parsed.error, `changes to webhook endpoint "${row.name}"`);
    const p = parsed.data;
    if (p.name !== undefined && p.name !== row.name && this.row(p.name)) {
      throw new WebhookError('PB_WEBHOOK_ENDPOINT_EXISTS', `A webhook endpoint named "${p.name}" already exists; choose another name.`);
    }
    const enabled = p.enabled ?? row.enabled === 1;
    this.statement(
        `UPDATE webhooks_endpoints SET name = ?, url = ?, events = ?, realms = ?, enabled = ?, disabled_reason = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        p.name ?? row.name,
        sealStored(this.box, p.url ?? row.url),
        p.events ? JSON.stringify(p.events) : row.events,
        p.realms ? JSON.stringify(p.realms) : row.realms,
        enabled ? 1 : 0,
        enabled ? null : row.disabled_reason,
        Date.now(),
        row.id,
      );
    return this.require(row.id);
  }

  /** Deletes the endpoint (its delivery log index too). Returns false if it did not exist. */
  remove(idOrName: string): boolean {
    const row = this.row(idOrName);
    if (!row) return false;
    this.db.transaction(() => {
      this.statement('DELETE FROM webhooks_endpoints WHERE id = ?').run(row.id);
      this.statement('DELETE FROM webhooks_deliveries WHERE endpoint_id = ?').run(row.id);
    })();
    return true;
  }

  /** Re-enables an endpoint (e.g. after its receiver was fixed following a 410). */
  enable(idOrName: string): WebhookEndpoint {
    return this.update(idOrName, { enabled: true });
  }

  /** Disables an endpoint and records why; nothing is sent to it until it is enabled again. */
  disable(idOrName: string, reason: string): WebhookEndpoint {
    const row = this.requireRow(idOrName);
    this.statement('UPDATE webhooks_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?').run(reason, Date.now(), row.id);
    return this.require(row.id);
  }

  /**
   * Adds a secret for rotation (generated when not given) and returns it. Until
   * {@link EndpointStore.retireSecrets} is called every request carries one signature per secret.
   */
  addSecret(idOrName: string, secret: string = generateSecret()): string {
    assertValidSecret(secret);
    const row = this.requireRow(idOrName);
    const secrets = [secret, ...(JSON.parse(row.secrets) as string[])];
    this.statement('UPDATE webhooks_endpoints SET secrets = ?, updated_at = ? WHERE id = ?').run(sealStored(this.box, JSON.stringify(secrets)), Date.now(), row.id);
    return secret;
  }

  /** Ends a rotation: keeps only the newest `keep` secrets (default 1). */
  retireSecrets(idOrName: string, keep = 1): WebhookEndpoint {
    if (!Number.isInteger(keep) || keep < 1) {
      throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', `retireSecrets keeps at least one secret; got keep=${keep}.`);
    }
    const row = this.requireRow(idOrName);
    const secrets = (JSON.parse(row.secrets) as string[]).slice(0, keep);
    this.statement('UPDATE webhooks_endpoints SET secrets = ?, updated_at = ? WHERE id = ?').run(sealStored(this.box, JSON.stringify(secrets)), Date.now(), row.id);
    return this.require(row.id);
  }

  /** The real secrets, newest first — for signing only; never return them from an API. */
  signingSecrets(idOrName: string): readonly string[] {
    return JSON.parse(this.requireRow(idOrName).secrets) as string[];
  }

  /** The endpoint's URL unmasked, for delivery. */
  deliveryUrl(idOrName: string): string {
    return this.requireRow(idOrName).url;
  }

  /** Records that outbox message `messageId` carries `event` to the endpoint (delivery log index). */
  recordDelivery(messageId: string, endpointId: string, event: string): void {
    this.statement('INSERT OR IGNORE INTO webhooks_deliveries (message_id, endpoint_id, event, created_at) VALUES (?, ?, ?, ?)')
      .run(messageId, endpointId, event, Date.now());
  }

  /** Messages queued for the endpoint, newest first. */
  deliveries(idOrName: string, options: { limit?: number; offset?: number } = {}): DeliveryRecord[] {
    const row = this.requireRow(idOrName);
    return this.statement<[string, number, number], { message_id: string; endpoint_id: string; event: string; created_at: number }>(
        'SELECT * FROM webhooks_deliveries WHERE endpoint_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?',
      )
      .all(row.id, options.limit ?? 100, options.offset ?? 0)
      .map((r) => ({ messageId: r.message_id, endpointId: r.endpoint_id, event: r.event, createdAt: new Date(r.created_at) }));
  }

  private row(idOrName: string): EndpointRow | undefined {
    const row = this.statement<[string, string], EndpointRow>('SELECT * FROM webhooks_endpoints WHERE id = ? OR name = ?').get(idOrName, idOrName);
    return row && this.opened(row);
  }

  /** The row with its URL and secrets in plain text (sealed at rest when a key is set). */
  private opened(row: EndpointRow): EndpointRow {
    const what = `Webhook endpoint "${row.name}"`;
    return { ...row, url: openStored(this.box, row.url, what), secrets: openStored(this.box, row.secrets, what) };
  }

  private requireRow(idOrName: string): EndpointRow {
    const row = this.row(idOrName);
    if (!row) {
      throw new WebhookError('PB_WEBHOOK_ENDPOINT_UNKNOWN', `No webhook endpoint with id or name "${idOrName}"; list them with store.list().`);
    }
    return row;
  }
}

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  const secrets = JSON.parse(row.secrets) as string[];
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    secrets: secrets.map(() => MASK),
    events: JSON.parse(row.events) as string[],
    realms: JSON.parse(row.realms) as string[],
    enabled: row.enabled === 1,
    ...(row.disabled_reason !== null ? { disabledReason: row.disabled_reason } : {}),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
