import { actingScope, hookPayload } from './hook-events';
import type { User } from './model';

/** Parameters that name who acted on or owns the subject, not the subject itself. */
const PEOPLE_PARAMS = new Set(['user', 'byuser', 'owner']);

/** A user as other processes see it: who, not their whole record. */
export interface UserRef {
  readonly id: number;
  readonly username: string;
}

function isUserRecord(v: unknown): v is User {
  return typeof v === 'object' && v !== null && typeof (v as User).id === 'number' && typeof (v as User).username === 'string';
}

const refOf = (u: User): UserRef => ({ id: u.id, username: u.username });

/**
 * The payload of a hook call as it leaves the process (Redis, step scripts): the event's subject
 * whole (secrets redacted), and the people around it — the owner or acting user passed as an
 * argument, and the logged-in user as `actor` — as id and name only. NethServer events carry
 * the minimal information about the event; a subscriber that needs more reads it by id.
 *
 * @example
 * ```ts
 * publishedPayload(['user', 'domain'], [admin, domain]);
 * // { user: { id: 1, username: 'admin' }, domain: { id: 3, name: 'example.org', … }, actor: { id: 1, username: 'admin' } }
 * ```
 */
export function publishedPayload(params: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  const payload = hookPayload(params, args);
  // A hook about a user alone (AccountCreated(account)) keeps that user: it is the subject.
  if (args.length > 1) {
    args.forEach((arg, i) => {
      const name = params[i];
      if (name !== undefined && PEOPLE_PARAMS.has(name) && isUserRecord(arg)) payload[name] = refOf(arg);
    });
  }
  const actor = actingScope.getStore()?.loggedInUser;
  if (actor !== undefined && !('actor' in payload)) payload.actor = refOf(actor);
  return payload;
}
