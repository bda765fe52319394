import type { User } from './model';

/** Who may call an extension route. */
export type RouteAccess = 'public' | 'user' | 'admin' | 'superadmin';

/** What an extension route handler receives. */
export interface RouteContext {
  /** The logged-in user (undefined only for `public` routes). */
  readonly user: User | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** One HTTP route contributed by an extension. */
export interface ExtensionRoute {
  readonly extension: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below `/api/ext/<extension>`, e.g. `/entries` or `/entries/:id`. */
  readonly path: string;
  readonly access: RouteAccess;
  /** JSON schema of the body (validated by fastify; bad input → 400 naming the field). */
  readonly body?: object;
  /** JSON schema of the query string (values are strings). Without it the route refuses every query parameter (400 naming it). */
  readonly query?: object;
  readonly handler: (ctx: RouteContext) => unknown;
}

/**
 * Where extensions (and later the rules/webhooks plugins) add HTTP routes. Routes are
 * mounted under `/api/ext/<extension>/…` when the server is built, and answer 404 while
 * their extension is disabled. Inject it into an extension's constructor.
 *
 * @example
 * ```ts
 * constructor(@inject(ExtensionRoutes) routes: ExtensionRoutes) {
 *   routes.add({ extension: 'audit-log', method: 'GET', path: '/entries', access: 'superadmin', handler: () => this.entries() });
 * }
 * ```
 */
export class ExtensionRoutes {
  private readonly list: ExtensionRoute[] = [];

  add(route: ExtensionRoute): void {
    if (!route.path.startsWith('/')) throw new TypeError(`Route path "${route.path}" of extension "${route.extension}" must start with "/".`);
    this.list.push(route);
  }

  all(): readonly ExtensionRoute[] {
    return this.list;
  }
}

/** inversify token of the host's pino logger. */
export const LOGGER = Symbol.for('plugboard.host-example.logger');
