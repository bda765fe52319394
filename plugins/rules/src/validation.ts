import type { HandlerModule, OptionSpec } from '@plugboard/core';
import { z } from 'zod';
import { hasConditionValidator, hasOptionValidator } from './base-handler-module';
import { RuleValidationError, type RuleIssue } from './errors';
import { hasEventAwareValidator } from './event-aware-validator';
import { checkEventNames, type RuleEventCatalogue, type RuleEventFacts } from './event-catalogue';
import type { HandlerModuleRegistry } from './handler-module-registry';
import { checkOptionValue, isUnset } from './option-values';
import { resultConditionIssue } from './result-condition-check';
import type { ValidRule } from './rule';

const own = Object.prototype.hasOwnProperty;

const plainObject = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `must be an object of ${what} keyed by name` }).optional();

const ruleShape = z.strictObject(
  {
    // Present when a UI sends a whole stored rule back; never taken from the input.
    id: z.unknown().optional(),
    createdAt: z.unknown().optional(),
    updatedAt: z.unknown().optional(),
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'must be at most 200 characters' }),
    active: z.boolean({ error: 'must be true or false' }).optional(),
    ordering: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).optional(),
    position: z.enum(['pre', 'post'], { error: 'must be "pre" or "post"' }).optional(),
    events: z
      .array(z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }), {
        error: 'must be a list of event names',
      })
      .min(1, { error: 'must name at least one event (use "*" for every event)' }),
    handlerModule: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    action: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    options: plainObject('option values'),
    conditions: plainObject('condition values'),
    abortOnError: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object describing a rule') },
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? 'none' : all.join(', ');
}

/** What a save knows beyond the handler modules: the host's events, and the events the edited rule has now. */
export interface RuleSaveContext {
  readonly events?: RuleEventCatalogue;
  /** The stored rule's events: they pass even if no longer raised, so the rule stays editable. */
  readonly storedEvents?: readonly string[];
}

/**
 * Checks a rule against its handler module and normalises it (defaults filled in, unset options
 * and conditions dropped, option values converted to their declared types). Collects every
 * problem before failing. With `context.events`, event names must be ones the host raises. `stored` (the options of the rule being edited) are checked like any
 * other, except that an unchanged value need not be among the option's `values`: those list what
 * exists now (e.g. SMTP configurations), and a rule whose configuration was deleted must stay editable.
 *
 * @throws RuleValidationError (`PB_RULES_INVALID`) listing each offending field path.
 * @example
 * ```ts
 * const rule = validateRule({ name: 'notify', events: ['AccountCreated'], handlerModule: 'Logger',
 *   action: 'log', options: { message: 'created {username}' } }, registry);
 * ```
 */
export function validateRule(
  input: unknown,
  registry: HandlerModuleRegistry,
  stored?: Readonly<Record<string, unknown>>,
  context: RuleSaveContext = {},
): ValidRule {
  const issues: RuleIssue[] = [];
  const parsed = ruleShape.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push({ path: [...issue.path, key].join('.'), message: 'is not a rule field' });
      } else {
        issues.push({ path: issue.path.length === 0 ? 'rule' : issue.path.join('.'), message: issue.message });
      }
    }
  }
  const raw = isRecord(input) ? input : {};
  if (context.events !== undefined) checkEventNames(raw.events, context.events, context.storedEvents ?? [], issues);
  const semantic = checkAgainstModule(raw, registry, issues, stored, context.events);
  const name = typeof raw.name === 'string' ? raw.name : undefined;
  if (!parsed.success || issues.length > 0) throw new RuleValidationError(issues, name);
  const d = parsed.data;
  return {
    name: d.name,
    active: d.active ?? true,
    ordering: d.ordering ?? 0,
    position: d.position ?? 'post',
    events: [...new Set(d.events)],
    handlerModule: d.handlerModule,
    action: d.action,
    options: semantic.options,
    conditions: semantic.conditions,
    abortOnError: d.abortOnError ?? false,
  };
}

function checkAgainstModule(
  raw: Record<string, unknown>,
  registry: HandlerModuleRegistry,
  issues: RuleIssue[],
  stored: Readonly<Record<string, unknown>> | undefined,
  catalogue: RuleEventCatalogue | undefined,
): { options: Record<string, unknown>; conditions: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  const conditions: Record<string, unknown> = {};
  if (typeof raw.handlerModule !== 'string' || raw.handlerModule === '') return { options, conditions };
  const module = registry.get(raw.handlerModule);
  if (module === undefined) {
    issues.push({
      path: 'handlerModule',
      message: `unknown handler module "${raw.handlerModule}" (registered: ${list(registry.identifiers())})`,
    });
    return { options, conditions };
  }
  const facts = eventFacts(raw.events, catalogue);
  if (raw.conditions === undefined || isRecord(raw.conditions)) checkConditions(module, raw.conditions ?? {}, conditions, issues);
  const resultIssue = resultConditionIssue(conditions, facts);
  if (resultIssue !== undefined) issues.push(resultIssue);
  if (typeof raw.action !== 'string' || raw.action === '') return { options, conditions };
  if (!own.call(module.actions, raw.action)) {
    issues.push({
      path: 'action',
      message: `"${raw.action}" is not an action of handler module "${module.identifier}" (its actions: ${list(Object.keys(module.actions))})`,
    });
    return { options, conditions };
  }
  if (raw.options === undefined || isRecord(raw.options)) checkOptions(module, raw.action, raw.options ?? {}, options, issues, stored);
  // Only once the options themselves are valid: the module may rely on their declared types.
  if (issues.length === 0 && hasEventAwareValidator(module)) issues.push(...module.validateForEvents(raw.action, options, facts));
  return { options, conditions };
}

function checkOptions(
  module: HandlerModule,
  action: string,
  given: Record<string, unknown>,
  out: Record<string, unknown>,
  issues: RuleIssue[],
  stored: Readonly<Record<string, unknown>> | undefined,
): void {
  const specs = module.actions[action].options;
  for (const name of Object.keys(given)) {
    if (!own.call(specs, name)) {
      issues.push({
        path: `options.${name}`,
        message: `unknown option; action "${action}" of "${module.identifier}" takes: ${list(Object.keys(specs))}`,
      });
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = own.call(given, name) ? given[name] : undefined;
    if (isUnset(value)) {
      if (spec.required === true) issues.push({ path: `options.${name}`, message: `is required (${spec.description})` });
      continue;
    }
    const unchanged = stored !== undefined && own.call(stored, name) && JSON.stringify(stored[name]) === JSON.stringify(value);
    const check = checkOptionValue(unchanged ? withoutValues(spec) : spec, value);
    const problem = check.ok ? (hasOptionValidator(module) ? module.validateOption(action, name, check.value) : undefined) : check.message;
    if (problem === undefined && check.ok) out[name] = check.value;
    else issues.push({ path: `options.${name}`, message: problem ?? 'is invalid' });
  }
  checkRequiredWhen(specs, out, issues);
}

// Checked on the converted values, after every option: the option it depends on may come later.
function checkRequiredWhen(specs: Readonly<Record<string, OptionSpec>>, out: Record<string, unknown>, issues: RuleIssue[]): void {
  for (const [name, spec] of Object.entries(specs)) {
    const when = spec.requiredWhen;
    if (when === undefined || out[when.option] !== when.value || !isUnset(out[name])) continue;
    if (issues.some((i) => i.path === `options.${name}`)) continue;
    issues.push({ path: `options.${name}`, message: `is required when ${when.option} is "${when.value}" (${spec.description})` });
  }
}

// Only the events the host can describe: patterns and unknown names give no facts, so nothing is refused on a guess.
function eventFacts(events: unknown, catalogue: RuleEventCatalogue | undefined): RuleEventFacts[] {
  if (catalogue?.describe === undefined || !Array.isArray(events)) return [];
  const facts: RuleEventFacts[] = [];
  for (const e of events) {
    const f = typeof e === 'string' && !e.includes('*') ? catalogue.describe(e.trim()) : undefined;
    if (f !== undefined) facts.push(f);
  }
  return facts;
}

function withoutValues(spec: OptionSpec): OptionSpec {
  const { values: _values, ...rest } = spec;
  return rest;
}

function checkConditions(module: HandlerModule, given: Record<string, unknown>, out: Record<string, unknown>, issues: RuleIssue[]): void {
  for (const [name, value] of Object.entries(given)) {
    if (!own.call(module.conditions, name)) {
      issues.push({
        path: `conditions.${name}`,
        message: `unknown condition; handler module "${module.identifier}" understands: ${list(Object.keys(module.conditions))}`,
      });
      continue;
    }
    if (isUnset(value)) continue;
    if (hasConditionValidator(module)) {
      const problem = module.validateCondition(name, value);
      if (problem === undefined) out[name] = value;
      else issues.push({ path: `conditions.${name}`, message: problem });
    } else {
      const check = checkOptionValue(module.conditions[name], value);
      if (check.ok) out[name] = check.value;
      else issues.push({ path: `conditions.${name}`, message: check.message });
    }
  }
}
