import { maskDeclared, newEventId, PlugboardError } from '@plugboard/core';
import { httpEventContext, httpEventName, type RulesEngine } from '@plugboard/rules';
import type { Logger } from 'pino';
import { apiStatus } from '../error-status';
import { actingScope, eventUser, jsonSafe } from '../hook-events';
import type { User } from '../model';

/**
 * One operation as the rules see it, whatever entry point it came from: the API route it is
 * (`POST /api/domains`), its params, body and query as the API would receive them, and its actor.
 */
export interface OperationCall {
  readonly method: string;
  /** The API route template, e.g. `/api/domains/:id`. */
  readonly route: string;
  readonly actor: User;
  /** Route parameters, as strings (the API's `:id`). */
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, unknown>>;
  /** Shared by the pre and post events of one call (default: a new id per event pair). */
  readonly eventId?: string;
  readonly ip?: string;
  /** The concrete path (default: the route with its params filled in). */
  readonly path?: string;
  /** Body paths the route declares secret, masked in the events. */
  readonly secretPaths?: readonly string[];
}

/** How an operation ended, as the post rules see it. */
export interface OperationOutcome {
  readonly statusCode: number;
  readonly response: unknown;
}

/** The route with its `:params` filled in. */
function pathOf(call: OperationCall): string {
  return call.path ?? call.route.replace(/:([A-Za-z_]\w*)/g, (m, name: string) => call.params?.[name] ?? m);
}

/** What an event carries about its call (the pre and post events of one call share its id). */
function eventInput(call: OperationCall) {
  return {
    method: call.method,
    route: call.route,
    ...(call.eventId !== undefined ? { eventId: call.eventId } : {}),
    // Masked by what the route's schema declares secret, then by the name/URL fallback.
    body: maskDeclared(jsonSafe(call.body), [...(call.secretPaths ?? [])]),
    query: maskDeclared(jsonSafe(call.query ?? {})) as Record<string, unknown>,
    params: { ...call.params },
    ...(call.ip !== undefined ? { ip: call.ip } : {}),
    path: pathOf(call),
    loggedInUser: eventUser(call.actor),
  };
}

/** The status the API answers for an error (so post rules of a CLI call see what the API's would). */
function statusOf(e: unknown): number {
  if (e instanceof PlugboardError) return apiStatus(e.code);
  return 500;
}

/**
 * The one path every operation takes, from the API, the CLI or an admin page: the rules' `pre` event
 * (which can refuse it), the operation in the actor's scope (so its hooks are the actor's events),
 * then the `post` event with its outcome. Events have the API's names and payloads (`POST /api/domains`
 * with the body's fields), so a rule written for the API also governs the CLI.
 *
 * @example
 * ```ts
 * const domain = await operations.run({ method: 'POST', route: '/api/domains', actor, body: { name } },
 *   () => domains.createDomain(actor, { name }), 201);
 * ```
 */
export class Operations {
  constructor(
    private readonly engine: RulesEngine | undefined,
    private readonly log: Logger,
  ) {}

  /** The event name of an operation, e.g. `POST /api/domains`. */
  static eventName(method: string, route: string): string {
    return httpEventName(method, route);
  }

  /** Dispatches the `pre` event; a refusing rule throws (`RuleAbortError` naming the rule and its reason). */
  async pre(call: OperationCall): Promise<void> {
    if (this.engine !== undefined) await this.engine.dispatch(httpEventContext({ ...eventInput(call), position: 'pre' }));
  }

  /** Dispatches the `post` event; a failing post rule is logged, never thrown: the operation is done. */
  async post(call: OperationCall, outcome: OperationOutcome): Promise<void> {
    if (this.engine === undefined) return;
    try {
      const response = maskDeclared(jsonSafe(outcome.response));
      await this.engine.dispatch(httpEventContext({ ...eventInput(call), position: 'post', statusCode: outcome.statusCode, response }));
    } catch (e) {
      this.log.error({ err: e, event: Operations.eventName(call.method, call.route) }, 'a post rule failed');
    }
  }

  /** Runs an operation on the one path: pre event, the action in the actor's scope, post event. */
  run<T>(operation: OperationCall, action: () => Promise<T> | T, okStatus = 200): Promise<T> {
    const call = operation.eventId === undefined ? { ...operation, eventId: newEventId() } : operation;
    const scope = { loggedInUser: call.actor, ...(call.ip !== undefined ? { ip: call.ip } : {}), method: call.method, path: pathOf(call) };
    return actingScope.run(scope, async () => {
      await this.pre(call);
      let result: T;
      try {
        result = await action();
      } catch (e) {
        await this.post(call, { statusCode: statusOf(e), response: e instanceof Error ? { error: (e as { code?: string }).code, message: e.message } : undefined });
        throw e;
      }
      await this.post(call, { statusCode: okStatus, response: result });
      return result;
    });
  }
}
