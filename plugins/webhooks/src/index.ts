/**
 * @plugboard/webhooks — signed Standard Webhooks, Mattermost and Docker Hub triggers with
 * eventhooks realms, delivered through the durable outbox behind an outbound address guard.
 */
export { Webhooks } from './webhooks';
export { WEBHOOK_CHANNEL } from './webhook-types';
export type {
  WebhooksOptions,
  WebhookOutbox,
  WebhookLogger,
  SendOptions,
  SendResult,
  DeliveryLogEntry,
  WebhookPayload,
  EndpointDeliveryPayload,
  TriggerDeliveryPayload,
} from './webhook-types';
export { EndpointStore } from './endpoint-store';
export type { EndpointStoreOptions, EndpointDatabase } from './endpoint-store';
export { MASK, endpointInputSchema } from './endpoint-model';
export type { WebhookEndpoint, EndpointInput, EndpointPatch, CreatedEndpoint, DeliveryRecord, DeliveryTarget } from './endpoint-model';
export { migrateWebhooks, migrateWebhooksSync, WEBHOOK_MIGRATIONS, WEBHOOK_SCOPE } from './webhook-tables';
export type { WebhookTables, EndpointRow, DeliveryRow } from './webhook-tables';
export { ENDPOINTS_TOPIC } from './endpoint-works';
export { WebHookTrigger, MattermostWebHook, DockerHubWebHook } from './triggers';
export type { TriggerResult, TriggerOptions, TriggerRoute, MattermostOptions, DockerHubOptions } from './triggers';
export { WebHookHandler } from './webhook-handler';
export { AddressGuard } from './address-guard';
export type { AddressGuardOptions, AddressVerdict, GuardedLookup } from './address-guard';
export { WebhookHttpClient, TransportError, DEFAULT_TIMEOUT_MS } from './http-client';
export type { HttpClientOptions, PostRequest, PostResponse, TransportFailureKind } from './http-client';
export { classifyResponse, parseRetryAfter } from './classify';
export type { ResponseVerdict } from './classify';
export { generateSecret, assertValidSecret, signatureHeaders, envelopeBody, SECRET_PREFIX } from './signing';
export { pingEndpoint, PING_EVENT } from './ping';
export type { PingResult } from './ping';
export type { SignatureHeaders, WebhookEnvelope } from './signing';
export { realmAllows } from './realms';
export { WebhookError, AddressRefusedError, WebhookDeliveryError } from './errors';
export type { WebhookErrorCode, DeliveryFailure } from './errors';
export { WEBHOOK_ERRORS, WebhookErrors, isWebhookError } from './error-codes';
