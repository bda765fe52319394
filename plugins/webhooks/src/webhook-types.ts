import type { SecretBox } from '@plugboard/core';
import type { AttemptRecord, Deliverer, EnqueueOptions, OutboxMessage, OutboxState } from '@plugboard/outbox';
import type { AddressGuard, AddressGuardOptions } from './address-guard';
import type { EndpointDatabase, EndpointStore } from './endpoint-store';

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

/**
 * What Webhooks needs of an outbox: the SQLite `Outbox` (synchronous) and `PgOutbox` (promises)
 * both fit.
 */
export interface WebhookOutbox {
  register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void;
  enqueue<P>(channel: string, payload: P, options?: EnqueueOptions): OutboxMessage<P> | Promise<OutboxMessage<P>>;
  get<P = unknown>(id: string): OutboxMessage<P> | undefined | Promise<OutboxMessage<P> | undefined>;
  attempts(id: string): AttemptRecord[] | Promise<AttemptRecord[]>;
}

/** Options of {@link Webhooks}. */
export interface WebhooksOptions {
  /** The durable outbox deliveries go through (`Outbox` on SQLite, `PgOutbox`); channel `webhook` is registered on it. */
  readonly outbox: WebhookOutbox;
  /** Seals endpoint URLs and signing secrets at rest (ignored when `store` is given). */
  readonly secrets?: SecretBox;
  /** Endpoint store; default: one opened on `database`. */
  readonly store?: EndpointStore;
  /**
   * Where the endpoints live: a `SqlDatabase` of either dialect, a `postgres://` URL (with
   * `Webhooks.open`), a better-sqlite3 Database or a SQLite path; default: the SQLite outbox's connection.
   */
  readonly database?: EndpointDatabase;
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
