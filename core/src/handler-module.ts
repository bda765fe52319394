/**
 * The handler-module contract of the event rules engine (privacyIDEA model).
 *
 * A handler module bundles a set of *actions* (each with typed options) and the
 * *conditions* it understands. Administrators bind a module's action, with option
 * values and condition values, to events; the rules engine (`@plugboard/rules`)
 * evaluates `checkCondition` and then calls `do`.
 *
 * Handler modules are registered in the inversify container under
 * {@link HANDLER_MODULE} so they can inject host services (mailer, logger, store).
 *
 * @example
 * ```ts
 * @injectable()
 * class Echo implements HandlerModule {
 *   readonly identifier = 'Echo';
 *   readonly description = 'Logs the event';
 *   readonly actions = { log: { description: 'log it', options: {} } };
 *   readonly conditions = {};
 *   checkCondition() { return true; }
 *   async do(action: string, ctx: EventContext) { console.log(ctx.event); }
 * }
 * container.bind(HANDLER_MODULE).to(Echo);
 * ```
 */

/** Option and condition value types, as in privacyIDEA. */
export type OptionType = 'str' | 'bool' | 'int' | 'text' | 'multi' | 'regexp';

/** Declares one option of an action (or one condition). */
export interface OptionSpec {
  readonly type: OptionType;
  readonly description: string;
  /** A required option must be present (and non-empty) when a rule is saved. */
  readonly required?: boolean;
  /**
   * Required only when another option has a given value (privacyIDEA's `visibleIf`/`visibleValue`):
   * `{ option: 'To', value: 'email' }` makes `To email` required when `To` is `email`.
   */
  readonly requiredWhen?: { readonly option: string; readonly value: string };
  /** Allowed values (for `str` a single one of them, for `multi` any subset). */
  readonly values?: readonly string[];
  /** Value used when the rule does not set the option. */
  readonly default?: string | number | boolean | readonly string[];
}

/** Declares one action of a handler module and the options it takes. */
export interface ActionSpec {
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** A condition is declared like an option; it is never required. */
export type ConditionSpec = Omit<OptionSpec, 'required' | 'requiredWhen'>;

/** Who is acting (the logged-in user) or who the event is about (the token owner). */
export interface EventUser {
  readonly username: string;
  readonly realm?: string;
  readonly role?: string;
  readonly email?: string;
  readonly givenname?: string;
  readonly surname?: string;
  readonly mobile?: string;
}

/** The rule an action runs for (set by the rules engine on the context it hands to `do`). */
export interface EventRule {
  readonly id: number;
  readonly name: string;
}

/** Everything a condition or an action may look at for one event occurrence. */
export interface EventContext {
  /**
   * Globally unique id of this occurrence (a UUIDv7 from {@link newEventId}, given when the event
   * is raised; pre and post of one call share it). Handlers deduplicate on (event id, rule, destination).
   */
  readonly eventId: string;
  /** The event name: a hook name (`AccountCreated`) or an API event (`POST /api/domains`). */
  readonly event: string;
  /** `pre` before the host does its work, `post` after it. */
  readonly position: 'pre' | 'post';
  readonly timestamp: Date;
  /** The event's data as a plain JSON-like object (hook arguments by name, request body …). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The logged-in user performing the action, when known. */
  readonly loggedInUser?: EventUser;
  /** The user the event is about (privacyIDEA's token owner), when known. */
  readonly user?: EventUser;
  /** The HTTP request that caused the event, when there was one. */
  readonly request?: { readonly ip?: string; readonly method?: string; readonly path?: string };
  /** For `post` rules: what the host's work produced. */
  readonly result?: { readonly status: 'success' | 'failure'; readonly value?: unknown; readonly error?: string };
  /** A realm the caller acts in (eventhooks realms). */
  readonly realm?: string;
  /** The rule being run, when an action runs for one. */
  readonly rule?: EventRule;
}

/** Condition values of a rule, keyed by condition name. */
export type ConditionValues = Readonly<Record<string, unknown>>;
/** Option values of a rule, keyed by option name (validated against the action's spec). */
export type OptionValues = Readonly<Record<string, unknown>>;

/** What an action may report back (recorded in the rules event log). */
export interface HandlerOutcome {
  readonly detail?: string;
  /** Ids of messages queued in the outbox by this action (the rules log records `queued`). */
  readonly queued?: readonly string[];
  /**
   * Why the action deliberately did nothing (e.g. the endpoint is not subscribed to the event):
   * the rules log records `skipped` with this reason instead of `ok`, which would claim it happened.
   */
  readonly skipped?: string;
}

/** The contract every handler module implements. */
export interface HandlerModule {
  /** Stable identifier stored in rules, e.g. `UserNotification`. */
  readonly identifier: string;
  readonly description: string;
  readonly actions: Readonly<Record<string, ActionSpec>>;
  readonly conditions: Readonly<Record<string, ConditionSpec>>;
  /** True when every condition set in `conditions` holds for `ctx`. */
  checkCondition(ctx: EventContext, conditions: ConditionValues): boolean | Promise<boolean>;
  /** Performs `action`; throwing fails the rule (logged and recorded). */
  do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome | void> | HandlerOutcome | void;
}

/** inversify service identifier under which handler modules are bound (multi-bound). */
export const HANDLER_MODULE: unique symbol = Symbol.for('plugboard.HandlerModule');
