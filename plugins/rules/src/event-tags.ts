import type { EventContext } from '@plugboard/core';

/** A `{tag}` a template may use, with what it stands for (shown in forms and generated docs). */
export interface TagDoc {
  readonly name: string;
  readonly description: string;
}

/**
 * The tags every handler module's templates have, whatever the event: the one list that the
 * Logger, the notifications and the documentation share, so a tag never works in one and is
 * unknown in another.
 *
 * @example
 * ```ts
 * EVENT_TAGS.map((t) => `{${t.name}}`); // ['{event}', '{eventId}', '{position}', …]
 * ```
 */
export const EVENT_TAGS: readonly TagDoc[] = [
  { name: 'event', description: 'The event name (AccountCreated, POST /api/domains).' },
  { name: 'eventId', description: 'The unique id of this occurrence of the event (a UUIDv7).' },
  { name: 'position', description: '"pre" before the host does its work, "post" after it.' },
  { name: 'admin', description: 'Username of the logged-in administrator who caused the event.' },
  { name: 'realm', description: 'Realm of the logged-in administrator.' },
  { name: 'username', description: 'Username of the account the event is about.' },
  { name: 'userrealm', description: 'Realm of the account the event is about.' },
];

/**
 * The values of {@link EVENT_TAGS} for one event; a value the event lacks (no logged-in user for
 * `{admin}`) is `undefined`, and each module decides whether that renders empty or fails.
 *
 * @example
 * ```ts
 * eventTagValues(ctx).event; // 'AccountCreated'
 * ```
 */
export function eventTagValues(ctx: EventContext): Readonly<Record<string, unknown>> {
  return {
    event: ctx.event,
    eventId: ctx.eventId,
    position: ctx.position,
    admin: ctx.loggedInUser?.username,
    realm: ctx.loggedInUser?.realm,
    username: ctx.user?.username,
    userrealm: ctx.user?.realm,
  };
}
