import type { FastifyRequest } from 'fastify';
import { HostError } from '../errors';
import { Operations, type OperationCall } from '../operations/operations';
import type { AdminPage } from './admin-page';

/** Runs one admin page action, as the given `OperationCall` (its API route) from this request. */
export type PageOperation = <T>(req: FastifyRequest, call: OperationCall, action: () => Promise<T> | T, okStatus?: number) => Promise<T>;

/**
 * The operation layer as the admin pages use it: every create, change and delete is the API
 * operation it stands for (`POST /api/domains`…), so the rules' pre and post events, and the hooks
 * in the actor's scope, are exactly the API's. The host's own `Operations` when it gives one, else
 * one over the same rules engine.
 *
 * @example
 * ```ts
 * const operate = pageOperation(ctx);
 * await operate(req, { method: 'POST', route: '/api/domains', actor, body }, () => domains.createDomain(actor, body), 201);
 * ```
 */
export function pageOperation(ctx: Pick<AdminPage, 'host'>): PageOperation {
  const operations = ctx.host.operations ?? new Operations(ctx.host.plugins?.rules.engine, ctx.host.logger);
  return (req, call, action, okStatus) => operations.run({ ip: req.ip, ...call }, action, okStatus);
}

/**
 * {@link pageOperation} for the logged-in SuperAdmin of `req` (the admin scope's session):
 * the page action runs as the API operation `call` names, refused by its pre rules like the API.
 *
 * @example
 * ```ts
 * await runPageAction(page, req, { method: 'POST', route: '/api/rules', body: input }, () => store.create(input), 201);
 * ```
 */
export function runPageAction<R>(page: Pick<AdminPage, 'host' | 'users'>, req: FastifyRequest, call: Omit<OperationCall, 'actor'>, action: () => R | Promise<R>, okStatus = 200): Promise<R> {
  const actor = page.users.get(req);
  if (actor === undefined) throw new HostError('PB_HOST_UNAUTHENTICATED', 'This admin action needs a session; log in again.');
  return pageOperation(page)(req, { ...call, actor }, action, okStatus);
}
