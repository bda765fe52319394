import type { FastifyRequest } from 'fastify';
import { HostError } from '../errors';
import type { AdminPage } from './admin-page';

/** The API operation a page action stands for: `POST /api/rules`, `DELETE /api/smtp/:name`… */
export interface PageOperation {
  readonly method: string;
  readonly route: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/**
 * Runs a page action as the API operation it stands for, on the one operation path: the API's
 * pre rules can refuse it (the page shows the rule and its reason) and its post rules see it.
 * A host without an operation layer (an admin page mounted on its own) just runs the action.
 *
 * @example
 * ```ts
 * await pageOperation(page, req, { method: 'POST', route: '/api/rules', body: input }, () => store.create(input), 201);
 * ```
 */
export function pageOperation<R>(page: Pick<AdminPage, 'host' | 'users'>, req: FastifyRequest, call: PageOperation, action: () => R | Promise<R>, okStatus = 200): Promise<R> {
  const operations = page.host.operations;
  if (operations === undefined) return Promise.resolve().then(action);
  const actor = page.users.get(req);
  if (actor === undefined) throw new HostError('PB_HOST_UNAUTHENTICATED', 'This admin action needs a session; log in again.');
  return operations.run({ ...call, actor, ip: req.ip }, action, okStatus);
}
