import { secretPaths } from '@plugboard/core';
import type { FastifyRequest } from 'fastify';

/* The JSON schemas of the plugins' routes (rules, SMTP and SMS configurations, webhooks, email hooks, outbox) and their parameter readers. */

export type Json = Record<string, unknown>;

export const str = { type: 'string' } as const;
export const nonEmpty = { type: 'string', minLength: 1 } as const;
export const bool = { type: 'boolean' } as const;
export const anyObject = { type: 'object', additionalProperties: true } as const;
export const strings = { type: 'array', items: nonEmpty } as const;
export const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['id'] } as const;
export const nameParams = { type: 'object', properties: { name: nonEmpty }, required: ['name'] } as const;
export const keyParams = { type: 'object', properties: { id: nonEmpty }, required: ['id'] } as const;
export const intString = { type: 'string', pattern: '^[0-9]{1,6}$' } as const;
export const forceQuery = { type: 'object', properties: { force: { type: 'string', enum: ['true', 'false'] } }, additionalProperties: false } as const;

/**
 * Route config naming the fields of a configuration body declared secret in its schema: the API
 * event built from the request masks them before rules, webhooks, the outbox or a log see it.
 */
export function secretsOf(schema: Parameters<typeof secretPaths>[0]): { secretPaths: string[] } {
  return { secretPaths: secretPaths(schema) };
}

export function closed(properties: Json, required: string[] = []): Json {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const ruleFields = {
  name: nonEmpty,
  active: bool,
  ordering: { type: 'integer' },
  position: { type: 'string', enum: ['pre', 'post'] },
  events: { type: 'array', items: nonEmpty, minItems: 1 },
  handlerModule: nonEmpty,
  action: nonEmpty,
  options: anyObject,
  conditions: anyObject,
  abortOnError: bool,
};

export const smtpFields = {
  name: nonEmpty,
  description: str,
  host: nonEmpty,
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  sender: nonEmpty,
  senderName: str,
  username: str,
  password: str,
  security: { type: 'string', enum: ['tls', 'starttls', 'opportunistic', 'none'] },
  rejectUnauthorized: bool,
  timeoutMs: { type: 'integer' },
  maxConnections: { type: 'integer' },
};

// The SMS gateway schema (parameters, success check…) is validated by the notify package, which names each bad field.
export const smsFields = {
  name: nonEmpty,
  description: str,
  url: nonEmpty,
  method: { type: 'string', enum: ['GET', 'POST'] },
  parameters: { type: 'object', additionalProperties: str },
  bodyFormat: { type: 'string', enum: ['form', 'json'] },
  headers: { type: 'object', additionalProperties: str },
  success: anyObject,
  timeoutMs: { type: 'integer' },
  secretFields: strings,
};

// Field rules (addresses, user:password, kind-specific requirements) are checked by the notify package, which names each bad field.
export const emailHookSettings = {
  host: str,
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  credentials: str,
  sender: nonEmpty,
  senderName: str,
  recipients: { anyOf: [str, { type: 'array', items: str }] },
  subject: str,
  configurationSet: str,
  region: str,
  endpoint: str,
  requireTls: bool,
};
export const emailHookKind = { type: 'string', enum: ['simple', 'ses'] } as const;
export const emailHookCreate = closed(
  { name: nonEmpty, kind: emailHookKind, events: { type: 'array', items: nonEmpty, minItems: 1 }, realms: strings, settings: closed(emailHookSettings, ['sender', 'recipients']) },
  ['name', 'kind', 'events', 'settings'],
);
export const emailHookPatch = closed({ kind: emailHookKind, events: { type: 'array', items: nonEmpty, minItems: 1 }, realms: strings, settings: closed(emailHookSettings) });

export const endpointFields = { name: nonEmpty, url: nonEmpty, secrets: strings, events: strings, realms: strings, enabled: bool };

export function idOf(req: FastifyRequest): number {
  return Number((req.params as { id: string }).id);
}

/** `?force=true` deletes a configuration even though rules use it. */
export function forced(req: FastifyRequest): boolean {
  return (req.query as { force?: string }).force === 'true';
}

export function nameOf(req: FastifyRequest): string {
  return (req.params as { name: string }).name;
}

export function keyOf(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}
