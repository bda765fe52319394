import type { EventContext } from '@plugboard/core';
import { EVENT_TAGS, eventTagValues, type TagDoc, type TagValues } from '@plugboard/rules';
import type { Recipient } from './recipients';

/** Host settings used by UserNotification, injected under {@link NOTIFY_SETTINGS}. */
export interface NotifySettings {
  /** Value of the `{url}` tag: the URL of the host's web UI. */
  readonly url?: string;
  /**
   * The texts a rule gets when it sets none, in the host's own words; privacyIDEA's token texts
   * (`DEFAULT_SUBJECT`, `DEFAULT_BODY`, `DEFAULT_SMS_BODY`) otherwise.
   */
  readonly defaults?: { readonly subject?: string; readonly body?: string; readonly smsBody?: string };
}

/** inversify service identifier of {@link NotifySettings}. */
export const NOTIFY_SETTINGS: unique symbol = Symbol.for('plugboard.notify.Settings');

/**
 * Every tag a notification's subject or body may use besides payload fields: the event tags every
 * module shares, then the notification's own. The token tags are privacyIDEA's and stay empty
 * unless the event's payload carries those fields (`{tokentyp}` is the seed's spelling of `{tokentype}`).
 *
 * @example
 * ```ts
 * NOTIFICATION_TAG_DOCS.find((t) => t.name === 'url')?.description; // "The URL of the host's web UI (a setting)."
 * ```
 */
export const NOTIFICATION_TAG_DOCS: readonly TagDoc[] = [
  ...EVENT_TAGS,
  { name: 'action', description: 'The request path, or the event name when there was no request.' },
  { name: 'url', description: "The URL of the host's web UI (a setting)." },
  { name: 'user', description: 'Given name of the account the event is about.' },
  { name: 'givenname', description: 'Given name of the account the event is about.' },
  { name: 'surname', description: 'Surname of the account the event is about.' },
  { name: 'recipient_givenname', description: 'Given name of the recipient of this message.' },
  { name: 'recipient_surname', description: 'Surname of the recipient of this message.' },
  { name: 'serial', description: "privacyIDEA's token serial: the payload's serial field; empty when the event has none." },
  { name: 'tokentype', description: "privacyIDEA's token type: the payload's tokentype (or type) field; empty when the event has none." },
  { name: 'tokentyp', description: 'The seed spelling of {tokentype}.' },
  { name: 'registrationcode', description: "privacyIDEA's registration code from the result or payload; empty when the event has none." },
];

/** The names of {@link NOTIFICATION_TAG_DOCS}. */
export const NOTIFICATION_TAGS: readonly string[] = NOTIFICATION_TAG_DOCS.map((t) => t.name);

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function registrationCode(ctx: EventContext): unknown {
  const value = ctx.result?.value;
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const detail = v.detail;
    if (detail !== null && typeof detail === 'object' && 'registrationcode' in detail) {
      return (detail as Record<string, unknown>).registrationcode;
    }
    if ('registrationcode' in v) return v.registrationcode;
  }
  return ctx.payload.registrationcode;
}

/**
 * The tag values for one recipient: payload fields first, the documented tags on top.
 *
 * @example
 * ```ts
 * notificationTags(ctx, { givenname: 'Ann' }, { url: 'https://pb.example.org' }).recipient_givenname; // 'Ann'
 * ```
 */
export function notificationTags(ctx: EventContext, recipient: Recipient, settings: NotifySettings = {}): TagValues {
  const owner = ctx.user;
  const p = ctx.payload;
  const tokentype = str(p.tokentype ?? p.type);
  // Not `{ ...p, admin, … }`: V8 takes a slow path (≈ 25 µs a call, once per message) when a
  // literal redefines a key the spread copied (here `serial`); copying into a fresh object is ≈ 1 µs.
  const tags: Record<string, unknown> = {};
  for (const key of Object.keys(p)) {
    // A JSON payload may carry an own "__proto__" key: keep it data, never the prototype setter.
    if (key === '__proto__') Object.defineProperty(tags, key, { value: p[key], enumerable: true, writable: true, configurable: true });
    else tags[key] = p[key];
  }
  // The event tags shared with every module (one source), empty rather than unknown when the event lacks them.
  for (const [key, value] of Object.entries(eventTagValues(ctx))) tags[key] = value ?? '';
  return Object.assign(tags, {
    action: ctx.request?.path ?? ctx.event,
    serial: str(p.serial),
    url: settings.url ?? '',
    user: owner?.givenname ?? '',
    givenname: owner?.givenname ?? '',
    surname: owner?.surname ?? '',
    tokentype,
    tokentyp: tokentype,
    registrationcode: str(registrationCode(ctx)),
    recipient_givenname: recipient.givenname ?? '',
    recipient_surname: recipient.surname ?? '',
  });
}

