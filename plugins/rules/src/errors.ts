import { PlugboardError } from '@plugboard/core';
import type { DispatchSummary } from './dispatch-summary';

/** One problem found while validating a rule: the field path (`options.emailconfig`) and what is wrong. */
export interface RuleIssue {
  readonly path: string;
  readonly message: string;
}

/** The rule that produced an error at dispatch time. */
export interface RuleRef {
  readonly id: number;
  readonly name: string;
}

/**
 * A rule was refused on save (`PB_RULES_INVALID`). `issues` names every offending field.
 *
 * @example
 * ```ts
 * try { store.create(input); }
 * catch (e) { if (e instanceof RuleValidationError) reply.code(400).send({ issues: e.issues }); }
 * ```
 */
export class RuleValidationError extends PlugboardError {
  readonly issues: readonly RuleIssue[];

  constructor(issues: readonly RuleIssue[], ruleName?: string) {
    const what = ruleName === undefined || ruleName === '' ? 'Rule' : `Rule "${ruleName}"`;
    const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    super('PB_RULES_INVALID', `${what} is invalid: ${list}. Fix these fields and save again; nothing was saved.`);
    this.issues = issues;
  }
}

/** No rule has the given id (`PB_RULES_NOT_FOUND`). */
export class RuleNotFoundError extends PlugboardError {
  readonly ruleId: number;

  constructor(id: number) {
    super('PB_RULES_NOT_FOUND', `Rule ${id} does not exist; list the rules to find the right id.`);
    this.ruleId = id;
  }
}

/**
 * Stops the request: thrown by a handler module's `do` (or by the engine on its behalf)
 * when a rule must abort what the host is doing (`PB_RULES_ABORTED`).
 *
 * A handler module throws it with just a reason; the engine records the failure and re-throws
 * a `RuleAbortError` that also names the rule and the event. `reason` is safe to show to the caller.
 *
 * @example
 * ```ts
 * async do(action: string, ctx: EventContext) {
 *   if (ctx.payload.name === 'forbidden.example') throw new RuleAbortError('this domain name is reserved');
 * }
 * ```
 */
export class RuleAbortError extends PlugboardError {
  readonly reason: string;
  readonly rule?: RuleRef;
  readonly event?: string;
  /** The rules that ran for the event up to and including the aborting one (set by the engine). */
  readonly summary?: DispatchSummary;

  constructor(reason: string, details: { rule?: RuleRef; event?: string; cause?: unknown; summary?: DispatchSummary } = {}) {
    const where =
      details.rule === undefined
        ? 'A rule aborted the request'
        : `Rule "${details.rule.name}" (id ${details.rule.id}) aborted ${details.event === undefined ? 'the request' : `event "${details.event}"`}`;
    super('PB_RULES_ABORTED', `${where}: ${reason}. Change the request or deactivate the rule.`, {
      extension: details.rule?.name,
      cause: details.cause,
    });
    this.reason = reason;
    if (details.rule !== undefined) this.rule = details.rule;
    if (details.event !== undefined) this.event = details.event;
    if (details.summary !== undefined) this.summary = details.summary;
  }
}

/**
 * A rule with `abortOnError` failed, so dispatch stopped (`PB_RULES_ACTION_FAILED`).
 * `cause` holds what the handler module threw.
 */
export class RuleActionError extends PlugboardError {
  readonly rule: RuleRef;
  readonly event: string;
  /** The rules that ran for the event up to and including the failing one. */
  readonly summary?: DispatchSummary;

  constructor(rule: RuleRef, event: string, cause: unknown, summary?: DispatchSummary) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      'PB_RULES_ACTION_FAILED',
      `Rule "${rule.name}" (id ${rule.id}) failed on event "${event}" and has abortOnError set, so the remaining rules were not run: ${why}. Fix the rule's handler or clear abortOnError.`,
      { extension: rule.name, cause },
    );
    this.rule = rule;
    this.event = event;
    if (summary !== undefined) this.summary = summary;
  }
}

/** A handler-module registry problem (`PB_RULES_UNKNOWN_MODULE`, `PB_RULES_DUPLICATE_MODULE`). */
export class HandlerModuleError extends PlugboardError {
  readonly module: string;

  constructor(code: 'PB_RULES_UNKNOWN_MODULE' | 'PB_RULES_DUPLICATE_MODULE', module: string, message: string) {
    super(code, message, { extension: module });
    this.module = module;
  }
}

/** The database holds a newer rules schema than this code knows (`PB_RULES_SCHEMA`). */
export class RulesSchemaError extends PlugboardError {
  constructor(found: number, known: number) {
    super(
      'PB_RULES_SCHEMA',
      `The database has rules schema version ${found} but this @plugboard/rules knows only up to ${known}; upgrade @plugboard/rules.`,
    );
  }
}
