import * as path from 'node:path';
import { InvalidEventNameError } from './errors';

/** Longest accepted event name, in UTF-8 bytes: a directory name must fit NAME_MAX. */
export const MAX_EVENT_NAME_BYTES = 255;

/**
 * Throws {@link InvalidEventNameError} unless `name` can only ever denote a direct child
 * directory of an `events/` directory.
 *
 * Refused: empty, `.` or `..`, anything containing `..`, `/`, `\`, NUL or another control
 * character, and names longer than {@link MAX_EVENT_NAME_BYTES} bytes.
 *
 * @example
 * ```ts
 * assertSafeEventName('account-provider-changed'); // ok
 * assertSafeEventName('../../etc');                 // throws PB_SCRIPTS_INVALID_EVENT_NAME
 * ```
 */
export function assertSafeEventName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidEventNameError(String(name), 'it is empty');
  if (name.includes('\0')) throw new InvalidEventNameError(name, 'it contains a NUL byte');
  if (name.includes('/') || name.includes('\\')) throw new InvalidEventNameError(name, 'it contains a path separator');
  if (name.includes('..')) throw new InvalidEventNameError(name, 'it contains ".."');
  if (name === '.') throw new InvalidEventNameError(name, 'it denotes the events directory itself');
  // Control characters would let a name forge lines in the log it is written to.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidEventNameError(name, 'it contains a control character');
  if (Buffer.byteLength(name, 'utf8') > MAX_EVENT_NAME_BYTES) {
    throw new InvalidEventNameError(name, `it is longer than ${MAX_EVENT_NAME_BYTES} bytes`);
  }
}

/**
 * The handler directory `<baseDir>/events/<name>`, after checking that it resolves to a direct
 * child of `<baseDir>/events` (defence in depth behind {@link assertSafeEventName}).
 */
export function handlerDirectory(baseDir: string, name: string): string {
  assertSafeEventName(name);
  const eventsDir = path.resolve(baseDir, 'events');
  const dir = path.resolve(eventsDir, name);
  if (path.dirname(dir) !== eventsDir || path.basename(dir) !== name) {
    throw new InvalidEventNameError(name, `it resolves outside ${eventsDir}`);
  }
  return dir;
}

/**
 * Converts a hook or API event name to the kebab-case used for NethServer event directories:
 * `AccountCreated` → `account-created`, `POST /api/domains` → `post-api-domains`; names already in
 * kebab-case are unchanged.
 *
 * @example
 * ```ts
 * toEventDirectoryName('DomainAliasCreated'); // 'domain-alias-created'
 * ```
 */
export function toEventDirectoryName(eventName: string): string {
  return eventName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    // A dot survives only between two word characters (`module.init`), so `..` can never appear.
    .replace(/\.(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])\./g, '-')
    .replace(/[^A-Za-z0-9_.]+/g, '-')
    .replace(/-{2,}/g, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
}
