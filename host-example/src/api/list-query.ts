import type { FastifyRequest } from 'fastify';
import type { ListQuery } from '../common/list-page';

/** The query parameters of a paged listing: `q`, `limit` (digits, range checked by the service) and `cursor`. */
export const LIST_QUERY_PROPERTIES = {
  q: { type: 'string', maxLength: 200 },
  limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
  cursor: { type: 'string', minLength: 1, maxLength: 1000 },
} as const;

/**
 * A closed querystring schema of a paged listing (plus the listing's own `extra` parameters):
 * an unknown parameter is a 400 naming it.
 *
 * @example
 * ```ts
 * app.get('/api/accounts', { schema: { querystring: listQuerySchema() } }, async (req) => accounts.list(actor, listQueryOf(req)));
 * ```
 */
export function listQuerySchema(extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { type: 'object', properties: { ...LIST_QUERY_PROPERTIES, ...extra }, additionalProperties: false };
}

/** The `q`, `limit` and `cursor` of a request (validated by {@link listQuerySchema}). */
export function listQueryOf(req: FastifyRequest): ListQuery {
  const { q, limit, cursor } = req.query as { q?: string; limit?: string; cursor?: string };
  return { ...(q !== undefined && q !== '' ? { q } : {}), ...(limit !== undefined ? { limit: Number(limit) } : {}), ...(cursor !== undefined ? { cursor } : {}) };
}
