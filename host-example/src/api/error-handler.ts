import { ExtensionError, ListenerError, ListenersFailedError, PlugboardError } from '@plugboard/core';
import { RuleAbortError, RuleActionError, RuleValidationError } from '@plugboard/rules';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiStatus } from '../error-status';
import { HOST_ERRORS, type HostErrorCode } from '../error-codes';
import { HostError } from '../errors';

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

/** The input field an ajv issue is about, as a dotted path. */
function fieldOf(issue: AjvIssue): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  if (issue.params?.missingProperty) parts.push(issue.params.missingProperty);
  if (issue.params?.additionalProperty) parts.push(issue.params.additionalProperty);
  return parts.join('.') || '(body)';
}

/** The message of a validation issue: an unknown parameter or property is named as such. */
function issueMessage(issue: AjvIssue, field: string, context: string): string {
  if (issue.keyword === 'additionalProperties') {
    const where = context === 'querystring' ? 'query parameter' : `property in ${context}`;
    return `Unknown ${where} "${issue.params?.additionalProperty ?? field}"; remove it (GET /api/docs lists what each route takes).`;
  }
  return `Invalid "${field}" in ${context}: ${issue.message ?? 'invalid'}.`;
}

/** The host code of a status fastify itself answered with (bad JSON, unknown content type, body too large…). */
const FASTIFY_STATUS_CODE: Readonly<Record<number, HostErrorCode>> = {
  400: 'PB_HOST_INVALID',
  401: 'PB_HOST_UNAUTHENTICATED',
  403: 'PB_HOST_FORBIDDEN',
  404: 'PB_HOST_NOT_FOUND',
  409: 'PB_HOST_CONFLICT',
  413: 'PB_HOST_TOO_LARGE',
  415: 'PB_HOST_UNSUPPORTED_MEDIA_TYPE',
  429: 'PB_HOST_THROTTLED',
};

/** The field a plugin validation error is about (its zod cause's first issue path), if it says. */
function pluginField(e: PlugboardError): string | undefined {
  const cause = (e as { cause?: { issues?: { path?: readonly PropertyKey[] }[] } }).cause;
  const path = cause?.issues?.[0]?.path;
  return path !== undefined && path.length > 0 ? path.map(String).join('.') : undefined;
}

/** Rule refusals and failures: the rule, its reason and the event. */
function ruleError(e: unknown, reply: FastifyReply): FastifyReply | undefined {
  if (e instanceof RuleValidationError) {
    return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, ...(e.issues.length > 0 ? { field: e.issues[0].path } : {}), issues: e.issues });
  }
  if (e instanceof RuleAbortError) {
    return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, reason: e.reason, ...(e.rule !== undefined ? { rule: e.rule.name, ruleId: e.rule.id } : {}), ...(e.event !== undefined ? { event: e.event } : {}) });
  }
  if (e instanceof RuleActionError) {
    return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, rule: e.rule.name, ruleId: e.rule.id, event: e.event });
  }
  return undefined;
}

/** The host's own errors: status by code, with the field, extension, hook or reason they name. */
function hostError(e: HostError, reply: FastifyReply): FastifyReply {
  if (e.retryAfterSeconds !== undefined) void reply.header('retry-after', String(e.retryAfterSeconds));
  return reply.code(e.status).send({
    error: e.code,
    message: e.message,
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(e.extension !== undefined ? { extension: e.extension } : {}),
    ...(e.hook !== undefined ? { hook: e.hook } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  });
}

/** Errors of extensions and plugins: a failing extension fails the request, never the host. */
function plugboardError(e: PlugboardError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (e instanceof ExtensionError) return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, extension: e.extension });
  if (e instanceof ListenerError || e instanceof ListenersFailedError) {
    req.log.error({ err: e }, 'extension failed');
    const ext = e instanceof ListenerError ? e.extension : undefined;
    return reply.code(apiStatus(e.code)).send({ error: e.code, message: e.message, ...(ext !== undefined ? { extension: ext } : {}), hook: e.hook });
  }
  const status = apiStatus(e.code);
  if (status < 500) {
    const field = pluginField(e);
    return reply.code(status).send({ error: e.code, message: e.message, ...(field !== undefined ? { field } : {}) });
  }
  req.log.error({ err: e }, 'request failed');
  return reply.code(status).send({ error: e.code, message: e.message });
}

/**
 * The API's error handler: every error answers `{ error, message, field?, extension?, hook?, reason?, rule? }`
 * with the status of its code.
 *
 * @example
 * ```ts
 * app.setErrorHandler(handleApiError);
 * ```
 */
export function handleApiError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = err as Error & { validation?: AjvIssue[]; validationContext?: string; statusCode?: number; code?: string };
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    const field = fieldOf(e.validation[0]);
    return reply.code(apiStatus('PB_HOST_INVALID')).send({ error: 'PB_HOST_INVALID', field, message: issueMessage(e.validation[0], field, e.validationContext ?? 'request') });
  }
  const ruled = ruleError(e, reply);
  if (ruled !== undefined) return ruled;
  if (e instanceof HostError) return hostError(e, reply);
  if (e instanceof PlugboardError) return plugboardError(e, req, reply);
  if (typeof e.statusCode === 'number' && e.statusCode < 500) {
    // fastify's own refusals (FST_ERR_CTP_*) answer in the API's shape, with the host code of their status.
    const code = FASTIFY_STATUS_CODE[e.statusCode] ?? 'PB_HOST_INVALID';
    // fastify says what is wrong; the registry adds what to do for the refusals only fastify makes.
    const hint = code === 'PB_HOST_TOO_LARGE' || code === 'PB_HOST_UNSUPPORTED_MEDIA_TYPE' ? ` ${HOST_ERRORS[code]}` : '';
    return reply.code(e.statusCode).send({ error: code, message: `${e.message}${hint}` });
  }
  req.log.error({ err: e }, 'request failed');
  return reply.code(apiStatus('PB_HOST_INTERNAL')).send({ error: 'PB_HOST_INTERNAL', message: 'Internal error; see the server log.' });
}

/**
 * The answer for a path no route serves (or a method the path does not take), in the API's error shape.
 *
 * @example
 * ```ts
 * app.setNotFoundHandler(handleNotFound);
 * ```
 */
export function handleNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(apiStatus('PB_HOST_NOT_FOUND')).send({ error: 'PB_HOST_NOT_FOUND', message: `No route answers ${req.method} ${req.url.split('?')[0]}; GET /api/docs lists the API's routes and methods.` });
}
