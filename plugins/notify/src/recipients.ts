import type { EventUser } from '@plugboard/core';

/**
 * Recipient types of UserNotification, with privacyIDEA's exact values.
 *
 * @example
 * ```ts
 * options: { To: NOTIFY_TYPE.ADMIN_REALM, 'To admin realm': 'superusers' }
 * ```
 */
export const NOTIFY_TYPE = {
  TOKENOWNER: 'tokenowner',
  LOGGED_IN_USER: 'logged_in_user',
  ADMIN_REALM: 'admin realm',
  INTERNAL_ADMIN: 'internal admin',
  EMAIL: 'email',
} as const;

/** One of the {@link NOTIFY_TYPE} values. */
export type NotifyType = (typeof NOTIFY_TYPE)[keyof typeof NOTIFY_TYPE];

/** Someone a notification goes to. */
export interface Recipient {
  readonly username?: string;
  readonly email?: string;
  readonly mobile?: string;
  readonly givenname?: string;
  readonly surname?: string;
}

/**
 * Host-provided lookup of administrators, injected under {@link RECIPIENT_DIRECTORY}.
 * Needed only for the `admin realm` and `internal admin` recipient types.
 *
 * @example
 * ```ts
 * container.bind<RecipientDirectory>(RECIPIENT_DIRECTORY).toConstantValue({
 *   adminRealmMembers: async (realm) => db.admins.filter((a) => a.realm === realm),
 *   internalAdmins: async (name) => db.internalAdmins.filter((a) => name === undefined || a.username === name),
 * });
 * ```
 */
export interface RecipientDirectory {
  /** Every administrator of the given admin realm. */
  adminRealmMembers(realm: string): Promise<readonly Recipient[]> | readonly Recipient[];
  /** The internal administrator with this username, or all of them when `username` is undefined. */
  internalAdmins(username?: string): Promise<readonly Recipient[]> | readonly Recipient[];
}

/** inversify service identifier of the host's {@link RecipientDirectory}. */
export const RECIPIENT_DIRECTORY: unique symbol = Symbol.for('plugboard.notify.RecipientDirectory');

/** Maps an {@link EventUser} to a {@link Recipient}. */
export function recipientOf(user: EventUser): Recipient {
  return {
    username: user.username,
    email: user.email,
    mobile: user.mobile,
    givenname: user.givenname,
    surname: user.surname,
  };
}

/**
 * Splits a comma-separated list, trimming entries and dropping empty ones.
 *
 * @example
 * ```ts
 * splitList(' a@x.org, b@y.org ,,'); // ['a@x.org', 'b@y.org']
 * ```
 */
export function splitList(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : [...value];
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

// eslint-disable-next-line no-control-regex
const PLAIN_ADDRESS = /^[^\s\u0000-\u001f\u007f@<>,;:"()\\[\]]+@[^\s\u0000-\u001f\u007f@<>,;:"()\\[\]]+$/;

/** True for a plain `local@domain` address without whitespace, control characters or separators. */
export function isPlainAddress(address: string): boolean {
  return PLAIN_ADDRESS.test(address);
}
