import { closestName } from './closest-name';
import type { RuleIssue } from './errors';

/**
 * The events a host raises, declared by the host so a rule naming an event that never happens is
 * refused when saved instead of silently never firing. The library knows no host event names.
 *
 * @example
 * ```ts
 * const events: RuleEventCatalogue = { hookEvents: () => bus.names(), apiEvents: () => [...routes] };
 * new RuleStore(db, { registry, events });
 * ```
 */
export interface RuleEventCatalogue {
  /** Names of the hook events (read at each save, so events of extensions added later count). */
  hookEvents(): readonly string[];
  /**
   * Names of the API events (`httpEventName` form, `POST /api/accounts`), or `undefined` while the
   * host has not declared its routes (a CLI that never builds the API): API names are then not checked.
   */
  apiEvents(): readonly string[] | undefined;
  /** What one event carries, for checks of tags and recipients; `undefined` when the host cannot say. */
  describe?(event: string): RuleEventFacts | undefined;
}

/** What an event carries, as the host declares it (e.g. from the hook's parameter names). */
export interface RuleEventFacts {
  readonly name: string;
  /** Top-level payload fields (`account`, `domain`…); `undefined` when not known (e.g. an API body). */
  readonly payloadFields?: readonly string[];
  /** Whether the event is about a user (`ctx.user` is set): recipients like the token owner need one. */
  readonly hasUser: boolean;
  /** Whether the post event's result is a JSON body (an API response): matched by path, not as one value. */
  readonly jsonResult?: boolean;
}

// An API event name is an upper-case HTTP method, a space and a path (see httpEventName).
const API_EVENT = /^[A-Z]+ \//;

/**
 * Adds an issue (`events.<i>`) for each event name the catalogue does not know, with the nearest
 * known name as a "did you mean". Patterns (`*`) are not checked: they may be meant for events of
 * extensions installed later. Names in `unchanged` (the stored rule's) pass, so a rule whose
 * extension was removed stays editable.
 */
export function checkEventNames(events: unknown, catalogue: RuleEventCatalogue, unchanged: readonly string[], issues: RuleIssue[]): void {
  if (!Array.isArray(events)) return;
  const hooks = catalogue.hookEvents();
  const api = catalogue.apiEvents();
  events.forEach((raw, i) => {
    if (typeof raw !== 'string') return;
    const event = raw.trim();
    if (event === '' || event.includes('*') || unchanged.includes(event)) return;
    const isApi = API_EVENT.test(event);
    if (isApi && api === undefined) return;
    const known = isApi ? (api ?? []) : hooks;
    if (known.includes(event)) return;
    const near = closestName(event, isApi ? known : [...hooks, ...(api ?? [])]);
    const hint = near !== undefined ? ` (did you mean ${near}?)` : '';
    issues.push({ path: `events.${i}`, message: `unknown event "${event}"${hint}: it is neither a hook of the catalogue nor an API route; the host's list of rule events names every one` });
  });
}
