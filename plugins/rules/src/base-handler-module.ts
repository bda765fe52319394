import type {
  ActionSpec,
  ConditionSpec,
  ConditionValues,
  EventContext,
  HandlerModule,
  HandlerOutcome,
  OptionValues,
} from '@plugboard/core';
import { checkOptionValue, isUnset } from './option-values';
import { compileStandardCondition, isStandardCondition, STANDARD_CONDITIONS } from './standard-conditions';

/** A module that checks its condition values on save (the registry/validator call it when present). */
export interface ConditionValidator {
  /** What is wrong with a set value of condition `name`, or `undefined` when it is fine. */
  validateCondition(name: string, value: unknown): string | undefined;
}

/** True when `module` validates its own condition values. */
export function hasConditionValidator(module: HandlerModule): module is HandlerModule & ConditionValidator {
  return typeof (module as Partial<ConditionValidator>).validateCondition === 'function';
}

/** A module that checks its option values on save, beyond their declared type (the validator calls it when present). */
export interface OptionValidator {
  /** What is wrong with the set, type-checked value of option `name` of `action`, or `undefined` when it is fine. */
  validateOption(action: string, name: string, value: unknown): string | undefined;
}

/** True when `module` validates its own option values. */
export function hasOptionValidator(module: HandlerModule): module is HandlerModule & OptionValidator {
  return typeof (module as Partial<OptionValidator>).validateOption === 'function';
}

type Check = (ctx: EventContext) => boolean | Promise<boolean>;

/**
 * Base class for handler modules: every subclass gets the standard conditions
 * (`logged_in_user`, `logged_in_user_realm`, `realm`, `result_status`, `result_value`,
 * `client_ip`, `payload_match`, `payload_compare`) and a `checkCondition` that requires all set
 * conditions to hold. Add module-specific conditions in `customConditions` and evaluate them in
 * {@link BaseHandlerModule.checkCustomCondition}.
 *
 * @example
 * ```ts
 * @injectable()
 * class Audit extends BaseHandlerModule {
 *   readonly identifier = 'Audit';
 *   readonly description = 'Writes an audit line';
 *   readonly actions = { write: { description: 'write a line', options: { line: { type: 'str', description: 'text', required: true } } } };
 *   async do(action: string, ctx: EventContext, options: OptionValues) { audit.write(String(options.line)); }
 * }
 * ```
 */
export abstract class BaseHandlerModule implements HandlerModule, ConditionValidator {
  abstract readonly identifier: string;
  abstract readonly description: string;
  abstract readonly actions: Readonly<Record<string, ActionSpec>>;

  /** Conditions specific to the subclass, added to the standard ones (a same-named one replaces it). */
  protected readonly customConditions: Readonly<Record<string, ConditionSpec>> = {};

  private merged?: Readonly<Record<string, ConditionSpec>>;
  // Rules hand in the same conditions object on every event, so compiled checks are cached by identity.
  private readonly compiled = new WeakMap<object, readonly Check[]>();

  /** Standard conditions plus {@link BaseHandlerModule.customConditions}. */
  get conditions(): Readonly<Record<string, ConditionSpec>> {
    this.merged ??= { ...STANDARD_CONDITIONS, ...this.customConditions };
    return this.merged;
  }

  abstract do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome | void> | HandlerOutcome | void;

  /**
   * True when every set condition holds (unset ones — undefined, null, '' or [] — are ignored).
   * Synchronous unless a custom condition answers with a promise.
   *
   * @throws Error when a condition value is invalid (rules saved through `RuleStore` never are).
   */
  checkCondition(ctx: EventContext, conditions: ConditionValues): boolean | Promise<boolean> {
    let checks = this.compiled.get(conditions);
    if (checks === undefined) {
      checks = this.compile(conditions);
      this.compiled.set(conditions, checks);
    }
    for (let i = 0; i < checks.length; i++) {
      const held = checks[i](ctx);
      if (held === false) return false;
      if (held !== true) return this.finishAsync(held, checks, i + 1, ctx);
    }
    return true;
  }

  /** See {@link ConditionValidator.validateCondition}. */
  validateCondition(name: string, value: unknown): string | undefined {
    const own = this.customConditions[name];
    if (own === undefined && isStandardCondition(name)) {
      try {
        compileStandardCondition(name, value);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    }
    const spec = own ?? this.conditions[name];
    if (spec === undefined) return `unknown condition "${name}"`;
    const check = checkOptionValue(spec, value);
    return check.ok ? undefined : check.message;
  }

  /**
   * Evaluates a condition from `customConditions`. The default answers `false` so an unknown
   * condition never lets an action run by accident.
   */
  protected checkCustomCondition(_name: string, _value: unknown, _ctx: EventContext): boolean | Promise<boolean> {
    return false;
  }

  private compile(conditions: ConditionValues): readonly Check[] {
    const checks: Check[] = [];
    for (const [name, value] of Object.entries(conditions)) {
      if (isUnset(value)) continue;
      if (this.customConditions[name] === undefined && isStandardCondition(name)) {
        try {
          checks.push(compileStandardCondition(name, value));
        } catch (e) {
          throw new Error(`Condition "${name}" of module "${this.identifier}" is invalid: ${e instanceof Error ? e.message : String(e)}`);
        }
      } else {
        checks.push((ctx) => this.checkCustomCondition(name, value, ctx));
      }
    }
    return checks;
  }

  private async finishAsync(first: Promise<boolean>, checks: readonly Check[], from: number, ctx: EventContext): Promise<boolean> {
    if (!(await first)) return false;
    for (let i = from; i < checks.length; i++) if (!(await checks[i](ctx))) return false;
    return true;
  }
}
