/**
 * The registry of every code the host answers with. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `HostErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const HOST_ERRORS = {
  PB_HOST_INVALID: 'A request field, CLI argument or setting is invalid (`field` names it). Fix that field.',
  PB_HOST_UNAUTHENTICATED: 'No valid session or token. Log in (`POST /api/login`) and send the bearer token.',
  PB_HOST_FORBIDDEN: 'Your role may not do this, or the object is not in your scope. Ask an administrator.',
  PB_HOST_VETOED: 'An extension refused the change (`extension`, `hook`, `reason`). Change the request as the reason says.',
  PB_HOST_NOT_FOUND: 'The object does not exist or is not visible to you. List the objects to find the right key.',
  PB_HOST_CONFLICT: 'The change conflicts with existing data (a duplicate name, an object still in use). Remove the conflict first.',
  PB_HOST_THROTTLED: 'Too many failed logins. Try again after `Retry-After` seconds.',
  PB_HOST_TOO_LARGE: 'The request body is larger than the API accepts (1 MiB). Send less, e.g. import in several files.',
  PB_HOST_UNSUPPORTED_MEDIA_TYPE: 'The body is not `application/json` (or the type the route takes). Send JSON with `content-type: application/json`.',
  PB_HOST_INTERNAL: 'An unexpected failure (answered for errors without a code; never thrown). Read the server log.',
} as const;

/** A code a {@link HostError} may carry (`PB_HOST_INTERNAL` is only an answer, never thrown). */
export type HostErrorCode = Exclude<keyof typeof HOST_ERRORS, 'PB_HOST_INTERNAL'>;

type HostErrorTable = typeof HOST_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on the host.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends HostErrorTable {}
}

/**
 * The registry of the host's codes.
 *
 * @example
 * ```ts
 * if (HostErrors.is(e, 'PB_HOST_NOT_FOUND')) reply.code(404);
 * ```
 */
export const HostErrors = defineErrorRegistry('@plugboard/host-example', HOST_ERRORS);

/**
 * Narrows `e` to a host error (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { await service.deleteDomain(user, 12); } catch (e) { if (isHostError(e, 'PB_HOST_NOT_FOUND')) console.log(e.message); }
 * ```
 */
export const isHostError = HostErrors.is;
