import type { FastifyRequest } from 'fastify';
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
export function pageOperation(ctx: AdminPage): PageOperation {
  const operations = ctx.host.operations ?? new Operations(ctx.host.plugins?.rules.engine, ctx.host.logger);
  return (req, call, action, okStatus) => operations.run({ ip: req.ip, ...call }, action, okStatus);
}
