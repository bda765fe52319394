import { Outbox, PermanentDeliveryError, RetryableDeliveryError, type DeliveryReceipt, type OutboxMessage } from '@plugboard/outbox';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { deliveryMeta } from './delivery-meta';
import { EndpointStore, type EndpointDatabase, type EndpointStoreOptions } from './endpoint-store';
import type { WebhookEndpoint } from './endpoint-model';
import { WebhookError } from './errors';
import { WebhookHttpClient } from './http-client';
import { envelopeBody, signatureHeaders } from './signing';
import type { WebHookTrigger } from './triggers';
import { outcomeOf, requestOnce } from './webhook-outcome';
import {
  WEBHOOK_CHANNEL,
  type DeliveryLogEntry,
  type EndpointDeliveryPayload,
  type SendOptions,
  type SendResult,
  type TriggerDeliveryPayload,
  type WebhookLogger,
  type WebhookOutbox,
  type WebhookPayload,
  type WebhooksOptions,
} from './webhook-types';

const silent: WebhookLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Webhook deliveries through the durable outbox: generic Standard Webhooks to stored
 * endpoints (signed at each attempt, `webhook-id` = outbox message id) and registered
 * Mattermost / Docker Hub triggers. Registers the deliverer of channel `webhook`. Endpoints
 * live on SQLite or PostgreSQL (see {@link Webhooks.open}).
 *
 * Outcomes: 2xx delivered; timeout, connection error, 5xx and 429 retried (Retry-After
 * honoured); 410 Gone disables the endpoint (or trigger) and dead-letters the message;
 * other 4xx, refused addresses and unfollowed redirects are dead letters at once.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ database: db });
 * const webhooks = new Webhooks({ outbox, database: db });
 * const { endpoint } = await webhooks.store.create({ name: 'crm', url: 'https://crm.example/hooks', secrets: [secret] });
 * await webhooks.publish('AccountCreated', { email: 'a@b.c' });
 * outbox.start();
 * ```
 */
export class Webhooks {
  readonly store: EndpointStore;
  readonly client: WebhookHttpClient;
  readonly outbox: WebhookOutbox;
  private readonly logger: WebhookLogger;
  private readonly registry = new Map<string, WebHookTrigger>();
  private ownsStore: boolean;

  /**
   * Synchronous on SQLite (endpoints in `database`, default the outbox's connection). With a
   * `PgOutbox` or a `postgres://` URL use {@link Webhooks.open}.
   */
  constructor(options: WebhooksOptions) {
    this.outbox = options.outbox;
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? new EndpointStore(databaseOf(options), storeOptions(options));
    this.client = new WebhookHttpClient({
      ...(options.guard !== undefined ? { guard: options.guard } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
    });
    this.logger = options.logger ?? silent;
    this.outbox.register(WEBHOOK_CHANNEL, (message: OutboxMessage<WebhookPayload>, signal: AbortSignal) => this.deliver(message, signal));
  }

  /**
   * Opens the endpoint store on either dialect (migrated and loaded) and registers the channel.
   *
   * @example
   * ```ts
   * const db = await SqlDatabase.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/app.db');
   * const outbox = await openOutbox({ database: process.env.PLUGBOARD_DATABASE_URL ?? 'data/app.db' });
   * const webhooks = await Webhooks.open({ outbox, database: db });
   * ```
   */
  static async open(options: WebhooksOptions): Promise<Webhooks> {
    if (options.store !== undefined) return new Webhooks(options);
    const store = await EndpointStore.open(databaseOf(options), storeOptions(options));
    const webhooks = new Webhooks({ ...options, store });
    webhooks.ownsStore = true;
    return webhooks;
  }

  /**
   * Queues a signed delivery of `event` to one endpoint (by id or name), unless the
   * endpoint is disabled, not subscribed to the event, or its realms do not admit the call.
   */
  async send(endpoint: string, event: string, data: unknown, options: SendOptions = {}): Promise<SendResult> {
    const target = await this.store.require(endpoint);
    if (!target.enabled) {
      return { skipped: 'disabled', detail: `endpoint "${target.name}" is disabled${target.disabledReason ? `: ${target.disabledReason}` : ''}` };
    }
    if (target.events.length > 0 && !target.events.includes(event) && !target.events.includes('*')) {
      return { skipped: 'event', detail: `endpoint "${target.name}" is not subscribed to ${event}` };
    }
    if (target.realms.length > 0 && (options.realm === undefined || !target.realms.includes(options.realm))) {
      return { skipped: 'realm', detail: `endpoint "${target.name}" only fires in realms ${target.realms.join(', ')}` };
    }
    return { queued: await this.enqueue(target, event, data, options) };
  }

  /**
   * Queues `event` to every enabled endpoint subscribed to it whose realms admit the call;
   * resolves to the message ids. On SQLite the messages are queued before this returns (inside
   * the caller's transaction when it has one).
   */
  publish(event: string, data: unknown, options: SendOptions = {}): Promise<string[]> {
    try {
      return Promise.all(this.store.matching(event, options.realm).map((target) => this.enqueue(target, event, data, options)));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /**
   * Routes a trigger's `trigger()` calls through the outbox. Register triggers at start-up,
   * before `outbox.start()`, so messages queued before a restart find their trigger.
   */
  register(trigger: WebHookTrigger): void {
    const existing = this.registry.get(trigger.name);
    if (existing && existing !== trigger) {
      throw new WebhookError('PB_WEBHOOK_TRIGGER_EXISTS', `A trigger named "${trigger.name}" is already registered; trigger names must be unique.`);
    }
    this.registry.set(trigger.name, trigger);
    trigger.attach((t, body) => {
      const payload: TriggerDeliveryPayload = { kind: 'trigger', trigger: t.name, body };
      const queued = this.outbox.enqueue(WEBHOOK_CHANNEL, payload, { meta: { trigger: t.name } });
      return queued instanceof Promise ? queued.then((m) => m.id) : queued.id;
    });
  }

  /** Removes a registered trigger; it sends directly again. */
  unregister(name: string): boolean {
    const trigger = this.registry.get(name);
    trigger?.attach(undefined);
    return this.registry.delete(name);
  }

  /** A registered trigger by name. */
  trigger(name: string): WebHookTrigger | undefined {
    return this.registry.get(name);
  }

  /** Registered triggers (their `toJSON` masks tokens). */
  triggers(): WebHookTrigger[] {
    return [...this.registry.values()];
  }

  /** Delivery log of an endpoint, newest first: state, every attempt with status code and error, next retry. */
  async deliveryLog(endpoint: string, options: { limit?: number; offset?: number } = {}): Promise<DeliveryLogEntry[]> {
    const records = await this.store.deliveries(endpoint, options);
    const entries: DeliveryLogEntry[] = [];
    for (const record of records) {
      const message = await this.outbox.get(record.messageId);
      if (!message) {
        entries.push({ messageId: record.messageId, event: record.event, createdAt: record.createdAt, state: 'purged', attempts: [] });
        continue;
      }
      entries.push({
        messageId: record.messageId,
        event: record.event,
        createdAt: record.createdAt,
        state: message.state,
        attempts: await this.outbox.attempts(record.messageId),
        ...(message.lastStatusCode !== undefined ? { lastStatusCode: message.lastStatusCode } : {}),
        ...(message.lastError !== undefined ? { lastError: message.lastError } : {}),
        ...(message.state === 'pending' && message.nextAttemptAt !== undefined ? { nextAttemptAt: message.nextAttemptAt } : {}),
        ...(message.deliveredAt !== undefined ? { deliveredAt: message.deliveredAt } : {}),
      });
    }
    return entries;
  }

  /** Closes kept-alive connections, and the endpoint store when this opened it. The outbox belongs to the caller. */
  async close(): Promise<void> {
    this.client.close();
    for (const trigger of this.registry.values()) trigger.attach(undefined);
    if (this.ownsStore) await this.store.close();
  }

  /** A string when queued now (SQLite), a promise otherwise. */
  private enqueue(target: WebhookEndpoint, event: string, data: unknown, options: SendOptions): string | Promise<string> {
    const payload: EndpointDeliveryPayload = {
      kind: 'endpoint',
      endpointId: target.id,
      event,
      data: data === undefined ? null : data,
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    };
    const enqueueOptions = {
      meta: deliveryMeta(target.id, event, options),
      ...(options.eventId !== undefined ? { dedupeKey: `${options.eventId}:${options.ruleId ?? '-'}:${target.id}` } : {}),
    };
    const outbox = this.outbox;
    const sqlite = this.store.db.sqlite;
    if (outbox instanceof Outbox && sqlite !== undefined) {
      // Now, in one transaction when store and outbox share the connection (and in the caller's, if any).
      return sqlite.transaction(() => {
        const message = outbox.enqueue(WEBHOOK_CHANNEL, payload, enqueueOptions);
        this.store.recordDeliverySync(message.id, target.id, event);
        return message.id;
      })();
    }
    // Two writes: the log index follows the message (a message without one is still delivered).
    return (async () => {
      const message = await outbox.enqueue(WEBHOOK_CHANNEL, payload, enqueueOptions);
      await this.store.recordDelivery(message.id, target.id, event);
      return message.id;
    })();
  }

  private async deliver(message: OutboxMessage<WebhookPayload>, signal: AbortSignal): Promise<DeliveryReceipt> {
    const payload = message.payload;
    if (payload.kind === 'endpoint') return this.deliverToEndpoint(message.id, payload, signal);
    if (payload.kind === 'trigger') return this.deliverTrigger(payload, signal);
    throw new PermanentDeliveryError(`Webhook message ${message.id} has an unknown payload kind; it cannot be delivered.`);
  }

  private async deliverToEndpoint(id: string, payload: EndpointDeliveryPayload, signal: AbortSignal): Promise<DeliveryReceipt> {
    const target = await this.store.deliveryTarget(payload.endpointId);
    if (!target) {
      throw new PermanentDeliveryError(`Webhook endpoint ${payload.endpointId} was deleted; message ${id} cannot be delivered.`);
    }
    const { endpoint, url, secrets } = target;
    if (!endpoint.enabled) {
      throw new PermanentDeliveryError(
        `Webhook endpoint "${endpoint.name}" is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; enable it, then retry this message.`,
      );
    }
    const body = envelopeBody({ type: payload.event, id, timestamp: payload.occurredAt, data: payload.data });
    // Signed per attempt: the timestamp must be fresh for receivers' replay windows; the id stays the same.
    const headers = signatureHeaders(secrets, id, new Date(), body);
    const name = `endpoint "${endpoint.name}"`;
    const res = await requestOnce(() => this.client.post({ url, body, headers: { ...headers }, signal }), name);
    return outcomeOf(res, endpoint.url, name, (reason) => this.store.disable(endpoint.id, reason), this.logger);
  }

  private async deliverTrigger(payload: TriggerDeliveryPayload, signal: AbortSignal): Promise<DeliveryReceipt> {
    const trigger = this.registry.get(payload.trigger);
    if (!trigger) {
      throw new RetryableDeliveryError(
        `Webhook trigger "${payload.trigger}" is not registered in this process; register it with webhooks.register() at start-up.`,
      );
    }
    if (trigger.disabledReason !== undefined) {
      throw new PermanentDeliveryError(`Webhook trigger "${trigger.name}" is disabled (${trigger.disabledReason}); enable it, then retry this message.`);
    }
    const res = await requestOnce(() => trigger.post(this.client, payload.body, signal), `trigger "${trigger.name}"`);
    return outcomeOf(res, trigger.urlSafe, `trigger "${trigger.name}"`, (reason) => trigger.disable(reason), this.logger);
  }
}

function storeOptions(options: WebhooksOptions): EndpointStoreOptions {
  return { ...(options.secrets !== undefined ? { secrets: options.secrets } : {}), ...(options.logger !== undefined ? { logger: options.logger } : {}) };
}

/** The database the endpoints live in: the one given, else the SQLite outbox's connection. */
function databaseOf(options: WebhooksOptions): EndpointDatabase {
  if (options.database !== undefined) return options.database;
  if (options.outbox instanceof Outbox) return options.outbox.db as SqliteConnection;
  throw new WebhookError('PB_WEBHOOK_INVALID_OPTION', 'This outbox keeps no SQLite connection to store endpoints in; pass `database` (a SqlDatabase or postgres:// URL) to Webhooks.open().');
}
