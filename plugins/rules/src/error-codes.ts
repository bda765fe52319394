/**
 * The registry of every code `@plugboard/rules` throws. This table is the documentation source
 * (`npm run docs:errors` writes it into the README) and `RulesErrorCode` is derived from it.
 */
import { defineErrorRegistry } from '@plugboard/core';

/** Code → what it means and what to do. */
export const RULES_ERRORS = {
  PB_RULES_INVALID: 'A rule was refused on save (`RuleValidationError`, `issues` names each field). Fix these fields and save again.',
  PB_RULES_NOT_FOUND: 'No rule has that id. List the rules to find the right id.',
  PB_RULES_ABORTED: 'A rule aborted the request (`RuleAbortError`, `reason` is safe to show). Change the request or deactivate the rule.',
  PB_RULES_ACTION_FAILED: 'A rule with `abortOnError` failed, so dispatch stopped (`RuleActionError`, cause attached). Fix the handler or clear `abortOnError`.',
  PB_RULES_UNKNOWN_MODULE: 'A rule names a handler module that is not registered. Register the module or fix the name.',
  PB_RULES_DUPLICATE_MODULE: 'A handler module of that name is already registered. Register each module once.',
  PB_RULES_UNKNOWN_TAG: 'A template uses a `{tag}` the event has no field for (`UnknownTagError`, `tags` lists them). Remove it or fix its name.',
  PB_RULES_SCHEMA: 'The database holds a newer rules schema than this code knows. Upgrade `@plugboard/rules`.',
} as const;

/** A code of {@link RULES_ERRORS}: a union, so a misspelt code is a compile error. */
export type RulesErrorCode = keyof typeof RULES_ERRORS;

type RulesErrorTable = typeof RULES_ERRORS;

// Adds these codes to the codes `PlugboardError` accepts, without core depending on this package.
declare module '@plugboard/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- only interfaces merge across packages
  interface PlugboardErrorCodes extends RulesErrorTable {}
}

/**
 * The registry of this package's codes.
 *
 * @example
 * ```ts
 * if (RulesErrors.is(e, 'PB_RULES_INVALID')) console.error(e.message);
 * ```
 */
export const RulesErrors = defineErrorRegistry('@plugboard/rules', RULES_ERRORS);

/**
 * Narrows `e` to an error of this package (with `code`, when given), across copies of the package.
 *
 * @example
 * ```ts
 * try { … } catch (e) { if (isRulesError(e, 'PB_RULES_INVALID')) console.error(e.code, e.message); }
 * ```
 */
export const isRulesError = RulesErrors.is;
