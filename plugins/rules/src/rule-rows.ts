import type { ConditionValues, OptionValues } from '@plugboard/core';
import type { Insertable, Selectable } from 'kysely';
import type { Rule, RuleInput, RulePatch, ValidRule } from './rule';
import type { RulesTables } from './rules-tables';

/** A `rules_rule` row as read. */
export type RuleRow = Selectable<RulesTables['rules_rule']>;

/** The row of a validated rule, stamped `now` (created_at is only set on insert). */
export function toRow(rule: ValidRule, now: string): Omit<Insertable<RulesTables['rules_rule']>, 'id'> {
  return {
    name: rule.name,
    active: rule.active ? 1 : 0,
    ordering: rule.ordering,
    position: rule.position,
    events: JSON.stringify(rule.events),
    handler_module: rule.handlerModule,
    action: rule.action,
    options: JSON.stringify(rule.options),
    conditions: JSON.stringify(rule.conditions),
    abort_on_error: rule.abortOnError ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
}

export function toRule(row: RuleRow): Rule {
  return {
    id: Number(row.id),
    name: row.name,
    active: Number(row.active) === 1,
    ordering: Number(row.ordering),
    position: row.position,
    events: JSON.parse(row.events) as string[],
    handlerModule: row.handler_module,
    action: row.action,
    options: JSON.parse(row.options) as OptionValues,
    conditions: JSON.parse(row.conditions) as ConditionValues,
    abortOnError: Number(row.abort_on_error) === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The input fields of a stored rule (what an update merges its patch into). */
export function toInput(rule: Rule): RuleInput {
  return {
    name: rule.name,
    active: rule.active,
    ordering: rule.ordering,
    position: rule.position,
    events: rule.events,
    handlerModule: rule.handlerModule,
    action: rule.action,
    options: rule.options,
    conditions: rule.conditions,
    abortOnError: rule.abortOnError,
  };
}

export function stripUndefined(patch: RulePatch): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}
