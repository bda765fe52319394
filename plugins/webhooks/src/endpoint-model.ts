import { secret } from '@plugboard/core';
import { z } from 'zod';
import { WebhookError } from './errors';

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

/** What delivering to an endpoint needs: the endpoint, its URL and its signing secrets, unmasked. */
export interface DeliveryTarget {
  readonly endpoint: WebhookEndpoint;
  readonly url: string;
  /** Newest first. */
  readonly secrets: readonly string[];
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
/** Schema of {@link EndpointPatch}. */
export const endpointPatchSchema = endpointInputSchema.omit({ secrets: true }).partial();

/** `PB_WEBHOOK_ENDPOINT_INVALID` naming every refused field. */
export function invalidEndpoint(error: z.ZodError, what: string): WebhookError {
  const why = error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ');
  return new WebhookError('PB_WEBHOOK_ENDPOINT_INVALID', `Invalid ${what}: ${why}. Fix these fields and try again.`, { cause: error });
}

/** `PB_WEBHOOK_ENDPOINT_UNKNOWN` for an id or name that names no endpoint. */
export function unknownEndpoint(idOrName: string): WebhookError {
  return new WebhookError('PB_WEBHOOK_ENDPOINT_UNKNOWN', `No webhook endpoint with id or name "${idOrName}"; list them with store.list().`);
}

/** `PB_WEBHOOK_ENDPOINT_EXISTS` for a name already taken. */
export function endpointExists(name: string): WebhookError {
  return new WebhookError('PB_WEBHOOK_ENDPOINT_EXISTS', `A webhook endpoint named "${name}" already exists; choose another name or update it.`);
}
