import type { FastifyInstance, RouteOptions } from 'fastify';

/** A querystring that takes nothing: a route that declares no parameters refuses every one, naming it. */
export const NO_QUERY = { type: 'object', properties: {}, additionalProperties: false } as const;

const VERBS: Readonly<Record<string, string>> = { GET: 'Read', POST: 'Create or run', PUT: 'Replace', PATCH: 'Update', DELETE: 'Delete' };

/** The tag of a route: its resource, the first path segment after `/api/` (`/api/ext/<extension>` for extension routes). */
export function tagOf(url: string): string {
  const [first, second] = url.slice('/api/'.length).split('/');
  return first === 'ext' && second !== undefined ? `ext/${second}` : first;
}

/** A plain summary when a route states none: the verb and what it acts on (`Read /api/rules/:id`). */
function summaryOf(route: RouteOptions): string {
  const method = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD')[0] ?? 'GET';
  const listing = method === 'GET' && !route.url.endsWith('/:id') && !route.url.includes('/:');
  return `${listing ? 'List or read' : (VERBS[method] ?? method)} ${route.url}`;
}

/**
 * Gives every `/api/` route, as it is declared, what the API promises of all of them: a closed
 * querystring unless it declares its own (so no parameter slips through unnoticed, even on routes
 * added later by extensions or the admin page), and the tags and summary its OpenAPI entry lists.
 * Must be added before any route is declared.
 *
 * @example
 * ```ts
 * applyRouteDefaults(app);
 * app.get('/api/hooks', handler); // GET /api/hooks?x=1 → 400 naming "x"
 * ```
 */
export function applyRouteDefaults(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const schema = route.schema ?? {};
    route.schema = {
      ...schema,
      querystring: schema.querystring ?? NO_QUERY,
      tags: schema.tags ?? [tagOf(route.url)],
      summary: schema.summary ?? summaryOf(route),
    };
  });
}
