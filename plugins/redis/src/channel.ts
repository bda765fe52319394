import { RedisBridgeError } from './errors';

/** The pattern NethServer agents subscribe to: every `<source>/event/<name>` channel. */
export const DEFAULT_EVENT_PATTERN = '*/event/*';

const EVENT_SEPARATOR = '/event/';
const MODULE_PREFIX = 'module/';

/** Where an event came from and what it is called, as read from its channel. */
export interface EventAddress {
  /**
   * Everything before the first `/event/`: the publishing agent, e.g. `module/traefik1`
   * (what NethServer passes to step scripts as `AGENT_EVENT_SOURCE`).
   */
  readonly source: string;
  /** The module id when the source is `module/<id>` (`traefik1`), otherwise undefined. */
  readonly moduleId?: string;
  /** Everything after the first `/event/` (`AGENT_EVENT_NAME`). */
  readonly name: string;
}

function assertSegment(kind: string, value: string): void {
  if (value.length === 0 || value.includes('/') || /\s/.test(value)) {
    throw new RedisBridgeError(
      'PB_REDIS_INVALID_NAME',
      `${kind} "${value}" cannot be used in an event channel: it must be non-empty, without "/" or spaces.`,
    );
  }
}

/**
 * The channel of an event published by module `moduleId`: `module/<moduleId>/event/<event>`.
 *
 * @example
 * ```ts
 * eventChannel('traefik1', 'test'); // 'module/traefik1/event/test'
 * ```
 */
export function eventChannel(moduleId: string, event: string): string {
  assertSegment('Module id', moduleId);
  assertSegment('Event name', event);
  return `${MODULE_PREFIX}${moduleId}${EVENT_SEPARATOR}${event}`;
}

/**
 * Splits a channel at its first `/event/` like the NethServer agent does, or returns
 * undefined when the channel is not an event channel.
 *
 * @example
 * ```ts
 * parseEventChannel('module/traefik1/event/test'); // { source: 'module/traefik1', moduleId: 'traefik1', name: 'test' }
 * parseEventChannel('node/1/event/backup-done');   // { source: 'node/1', name: 'backup-done' }
 * ```
 */
export function parseEventChannel(channel: string): EventAddress | undefined {
  const at = channel.indexOf(EVENT_SEPARATOR);
  if (at < 0) return undefined;
  const source = channel.slice(0, at);
  const name = channel.slice(at + EVENT_SEPARATOR.length);
  if (name.length === 0) return undefined;
  if (source.startsWith(MODULE_PREFIX) && source.length > MODULE_PREFIX.length && !source.slice(MODULE_PREFIX.length).includes('/')) {
    return { source, moduleId: source.slice(MODULE_PREFIX.length), name };
  }
  return { source, name };
}
