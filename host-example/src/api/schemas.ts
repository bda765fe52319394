import type { FastifyRequest } from 'fastify';

/** A JSON object (route bodies, as the services take them). */
export type Json = Record<string, unknown>;

export const str = { type: 'string' } as const;
export const nonEmpty = { type: 'string', minLength: 1 } as const;
export const int = { type: 'integer', minimum: 0 } as const;
export const bool = { type: 'boolean' } as const;
export const anyObject = { type: 'object', additionalProperties: true } as const;
// Path and query values are strings: types are checked by pattern, never coerced (so bodies are never coerced either).
export const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, required: ['id'] } as const;

/** The numeric `:id` of a request (validated by {@link idParams}). */
export function idOf(req: FastifyRequest): number {
  return Number((req.params as { id: string }).id);
}

/** A closed object schema: unknown properties are a 400 naming them. */
export function body(properties: Json, required: string[] = []): Json {
  return { type: 'object', properties, required, additionalProperties: false };
}
