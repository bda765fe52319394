import type { SecretBox } from '@plugboard/core';
import type Database from 'better-sqlite3';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
  type AttemptRecord,
  type DeliveryReceipt,
  type Outbox,
  type OutboxMessage,
  type OutboxState,
} from '@plugboard/outbox';
import { deliveryMeta } from './delivery-meta';
import type { AddressGuard, AddressGuardOptions } from './address-guard';
import { classifyResponse } from './classify';
import { EndpointStore, type WebhookEndpoint } from './endpoint-store';
import { AddressRefusedError, WebhookError } from './errors';
import { TransportError, WebhookHttpClient, type PostResponse } from './http-client';
import { envelopeBody, signatureHeaders } from './signing';
import type { WebHookTrigger } from './triggers';

/** Outbox channel of webhook deliveries. */
export const WEBHOOK_CHANNEL = 'webhook';

/** pino-compatible logger (only these methods are used). */
export interface WebhookLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Outbox payload of a signed delivery to a stored endpoint. */
export interface EndpointDeliveryPayload {
  readonly kind: 'endpoint';
  readonly endpointId: string;
  readonly event: string;
  readonly data: unknown;
  /** ISO time of the event (the envelope's `timestamp`). */
  readonly occurredAt: string;
}

/** Outbox payload of a trigger (Mattermost, Docker Hub): the body only — never the token. */
export interface TriggerDeliveryPayload {
  readonly kind: 'trigger';
  readonly trigger: string;
  readonly body: unknown;
}

/** What the `webhook` channel carries. */
export type WebhookPayload = EndpointDeliveryPayload | TriggerDeliveryPayload;

/** Options of {@link Webhooks}. */
export interface WebhooksOptions {
  /** The durable outbox deliveries go through; channel `webhook` is registered on it. */
  readonly outbox: Outbox;
  /** Endpoint store, or the database to create one in; default: the outbox's database. */
  /** Seals endpoint URLs and signing secrets at rest (ignored when `store` is given). */
  readonly secrets?: SecretBox;
  readonly store?: EndpointStore;
  readonly database?: Database.Database | string;
  /** Outbound address guard (or its options); default: public unicast addresses only. */
  readonly guard?: AddressGuard | AddressGuardOptions;
  /** Time limit of one delivery attempt, default 15 000 ms. */
  readonly timeoutMs?: number;
  /** Redirects to follow (each hop re-checked by the guard); default 0. */
  readonly maxRedirects?: number;
  readonly logger?: WebhookLogger;
}

/** Options of {@link Webhooks.send} and {@link Webhooks.publish}. */
export interface SendOptions {
  /** The caller's realm (eventhooks rule against the endpoint's realms). */
  readonly realm?: string;
  /** When the event happened; default now. */
  readonly occurredAt?: Date;
  /**
   * Id of the event occurrence (globally unique, e.g. `newEventId()`): the same id is queued only
   * once per (event, rule, endpoint).
   */
  readonly eventId?: string;
  /** The rule sending it: its id is in the dedupe key (two rules may send one event to one endpoint), id and name in the message's meta. */
  readonly ruleId?: number;
  readonly ruleName?: string;
}

/** Result of {@link Webhooks.send}. */
export type SendResult =
  | { readonly queued: string }
  | { readonly skipped: 'disabled' | 'event' | 'realm'; readonly detail: string };

/** One line of an endpoint's delivery log. */
export interface DeliveryLogEntry {
  readonly messageId: string;
  readonly event: string;
  readonly createdAt: Date;
  /** Outbox state, or `purged` when the outbox no longer holds the message. */
  readonly state: OutboxState | 'purged';
  readonly attempts: readonly AttemptRecord[];
  readonly lastStatusCode?: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: Date;
  readonly deliveredAt?: Date;
}

const silent: WebhookLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Webhook deliveries through the durable outbox: generic Standard Webhooks to stored
 * endpoints (signed at each attempt, `webhook-id` = outbox message id) and registered
 * Mattermost / Docker Hub triggers. Registers the deliverer of channel `webhook`.
 *
 * Outcomes: 2xx delivered; timeout, connection error, 5xx and 429 retried (Retry-After
 * honoured); 410 Gone disables the endpoint (or trigger) and dead-letters the message;
 * other 4xx, refused addresses and unfollowed redirects are dead letters at once.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ database: db });
 * const webhooks = new Webhooks({ outbox, database: db });
 * const { endpoint } = webhooks.store.create({ name: 'crm', url: 'https://crm.example/hooks', secrets: [secret] });
 * webhooks.publish('AccountCreated', { email: 'a@b.c' });
 * outbox.start();
 * ```
 */
export class Webhooks {
  readonly store: EndpointStore;
  readonly client: WebhookHttpClient;
  readonly outbox: Outbox;
  private readonly logger: WebhookLogger;
  private readonly registry = new Map<string, WebHookTrigger>();

  constructor(options: WebhooksOptions) {
    this.outbox = options.outbox;
    this.store = options.store ?? new EndpointStore(options.database ?? options.outbox.db, options.secrets !== undefined ? { secrets: options.secrets } : {});
    this.client = new WebhookHttpClient({
      ...(options.guard !== undefined ? { guard: options.guard } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
    });
    this.logger = options.logger ?? silent;
    this.outbox.register(WEBHOOK_CHANNEL, (message: OutboxMessage<WebhookPayload>, signal: AbortSignal) => this.deliver(message, signal));
  }

  /**
   * Queues a signed delivery of `event` to one endpoint (by id or name), unless the
   * endpoint is disabled, not subscribed to the event, or its realms do not admit the call.
   */
  send(endpoint: string, event: string, data: unknown, options: SendOptions = {}): SendResult {
    const target = this.store.require(endpoint);
    if (!target.enabled) {
      return { skipped: 'disabled', detail: `endpoint "${target.name}" is disabled${target.disabledReason ? `: ${target.disabledReason}` : ''}` };
    }
    if (target.events.length > 0 && !target.events.includes(event) && !target.events.includes('*')) {
      return { skipped: 'event', detail: `endpoint "${target.name}" is not subscribed to ${event}` };
    }
    if (target.realms.length > 0 && (options.realm === undefined || !target.realms.includes(options.realm))) {
      return { skipped: 'realm', detail: `endpoint "${target.name}" only fires in realms ${target.realms.join(', ')}` };
    }
    return { queued: this.enqueue(target, event, data, options) };
  }

  /** Queues `event` to every enabled endpoint subscribed to it whose realms admit the call; returns the message ids. */
  publish(event: string, data: unknown, options: SendOptions = {}): string[] {
    return this.store.matching(event, options.realm).map((target) => this.enqueue(target, event, data, options));
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
      return this.outbox.enqueue(WEBHOOK_CHANNEL, payload, { meta: { trigger: t.name } }).id;
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
  deliveryLog(endpoint: string, options: { limit?: number; offset?: number } = {}): DeliveryLogEntry[] {
    return this.store.deliveries(endpoint, options).map((record) => {
      const message = this.outbox.get(record.messageId);
      if (!message) return { messageId: record.messageId, event: record.event, createdAt: record.createdAt, state: 'purged', attempts: [] };
      return {
        messageId: record.messageId,
        event: record.event,
        createdAt: record.createdAt,
        state: message.state,
        attempts: this.outbox.attempts(record.messageId),
        ...(message.lastStatusCode !== undefined ? { lastStatusCode: message.lastStatusCode } : {}),
        ...(message.lastError !== undefined ? { lastError: message.lastError } : {}),
        ...(message.state === 'pending' && message.nextAttemptAt !== undefined ? { nextAttemptAt: message.nextAttemptAt } : {}),
        ...(message.deliveredAt !== undefined ? { deliveredAt: message.deliveredAt } : {}),
      };
    });
  }

  /** Closes kept-alive connections. The outbox and database belong to the caller. */
  close(): void {
    this.client.close();
    for (const trigger of this.registry.values()) trigger.attach(undefined);
  }

  private enqueue(target: WebhookEndpoint, event: string, data: unknown, options: SendOptions): string {
    const payload: EndpointDeliveryPayload = {
      kind: 'endpoint',
      endpointId: target.id,
      event,
      data: data === undefined ? null : data,
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    };
    const run = this.store.db.transaction(() => {
      const message = this.outbox.enqueue(WEBHOOK_CHANNEL, payload, {
        meta: deliveryMeta(target.id, event, options),
        ...(options.eventId !== undefined ? { dedupeKey: `${options.eventId}:${options.ruleId ?? '-'}:${target.id}` } : {}),
      });
      this.store.recordDelivery(message.id, target.id, event);
      return message.id;
    });
    // One transaction when store and outbox share the database; otherwise two writes.
    return run();
  }

  private async deliver(message: OutboxMessage<WebhookPayload>, signal: AbortSignal): Promise<DeliveryReceipt> {
    const payload = message.payload;
    if (payload.kind === 'endpoint') return this.deliverToEndpoint(message.id, payload, signal);
    if (payload.kind === 'trigger') return this.deliverTrigger(payload, signal);
    throw new PermanentDeliveryError(`Webhook message ${message.id} has an unknown payload kind; it cannot be delivered.`);
  }

  private async deliverToEndpoint(id: string, payload: EndpointDeliveryPayload, signal: AbortSignal): Promise<DeliveryReceipt> {
    const endpoint = this.store.get(payload.endpointId);
    if (!endpoint) {
      throw new PermanentDeliveryError(`Webhook endpoint ${payload.endpointId} was deleted; message ${id} cannot be delivered.`);
    }
    if (!endpoint.enabled) {
      throw new PermanentDeliveryError(
        `Webhook endpoint "${endpoint.name}" is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; enable it, then retry this message.`,
      );
    }
    const body = envelopeBody({ type: payload.event, id, timestamp: payload.occurredAt, data: payload.data });
    // Signed per attempt: the timestamp must be fresh for receivers' replay windows; the id stays the same.
    const headers = signatureHeaders(this.store.signingSecrets(endpoint.id), id, new Date(), body);
    const url = this.store.deliveryUrl(endpoint.id);
    const res = await this.request(() => this.client.post({ url, body, headers: { ...headers }, signal }), `endpoint "${endpoint.name}"`);
    return this.outcome(res, endpoint.url, `endpoint "${endpoint.name}"`, (reason) => {
      this.store.disable(endpoint.id, reason);
    });
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
    const res = await this.request(() => trigger.post(this.client, payload.body, signal), `trigger "${trigger.name}"`);
    return this.outcome(res, trigger.urlSafe, `trigger "${trigger.name}"`, (reason) => trigger.disable(reason));
  }

  private async request(send: () => Promise<PostResponse>, target: string): Promise<PostResponse> {
    try {
      return await send();
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      if (cause instanceof AddressRefusedError || (cause instanceof WebhookError && !(cause instanceof TransportError))) {
        throw new PermanentDeliveryError(`Webhook to ${target} refused: ${why}`, { cause });
      }
      throw new RetryableDeliveryError(`Webhook to ${target} failed: ${why}`, { cause });
    }
  }

  private outcome(res: PostResponse, safeUrl: string, target: string, disable: (reason: string) => void): DeliveryReceipt {
    const verdict = classifyResponse(res, safeUrl);
    switch (verdict.kind) {
      case 'delivered':
        return { statusCode: verdict.status, detail: `${target} answered ${verdict.status}` };
      case 'retry':
        throw new RetryableDeliveryError(`Webhook to ${target}: ${verdict.reason}.`, {
          statusCode: verdict.status,
          ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
        });
      case 'gone': {
        const reason = `${verdict.reason} (${new Date().toISOString()})`;
        disable(reason);
        this.logger.warn({ target, url: safeUrl, statusCode: 410 }, `Webhook ${target} disabled: the receiver answered 410 Gone. Fix the URL and enable it again.`);
        throw new PermanentDeliveryError(`Webhook ${target} disabled: ${verdict.reason}. Fix the URL, enable it and retry.`, { statusCode: 410 });
      }
      case 'permanent':
        throw new PermanentDeliveryError(`Webhook to ${target}: ${verdict.reason}.`, { statusCode: verdict.status });
    }
  }
}

