import type { OptionValues } from '@plugboard/core';
import type { RuleRef } from './errors';
import type { HandlerModuleRegistry } from './handler-module-registry';
import type { Rule, RulePosition } from './rule';

/** A rule as the engine runs it. */
export interface IndexedRule {
  readonly rule: Rule;
  readonly ref: RuleRef;
  /** The rule's options with the action's defaults filled in. */
  readonly options: OptionValues;
}

const EMPTY: readonly IndexedRule[] = [];
// Event names come from a finite catalogue plus API routes; the bound only guards against misuse.
const MAX_CACHED_EVENTS = 10_000;

/**
 * The active rules by event, in memory: dispatch looks rules up here, never in the database.
 * Exact names are a map lookup; patterns are tried once per event name and the result cached.
 */
export class RuleIndex {
  private readonly exact = new Map<string, IndexedRule[]>();
  private readonly patterns: { readonly regex: RegExp; readonly entry: IndexedRule }[] = [];
  private readonly cache: Record<RulePosition, Map<string, readonly IndexedRule[]>> = { pre: new Map(), post: new Map() };

  constructor(rules: readonly Rule[], registry: HandlerModuleRegistry) {
    for (const rule of rules) {
      const entry: IndexedRule = { rule, ref: { id: rule.id, name: rule.name }, options: withDefaults(rule, registry) };
      for (const event of rule.events) {
        if (event.includes('*')) {
          this.patterns.push({ regex: patternToRegex(event), entry });
        } else {
          let list = this.exact.get(event);
          if (list === undefined) this.exact.set(event, (list = []));
          list.push(entry);
        }
      }
    }
  }

  /** The rules bound to `event` at `position`, by ordering then id. */
  match(event: string, position: RulePosition): readonly IndexedRule[] {
    const cache = this.cache[position];
    const hit = cache.get(event);
    if (hit !== undefined) return hit;
    const found = new Set<IndexedRule>();
    for (const e of this.exact.get(event) ?? EMPTY) if (e.rule.position === position) found.add(e);
    for (const p of this.patterns) if (p.entry.rule.position === position && p.regex.test(event)) found.add(p.entry);
    const list = found.size === 0 ? EMPTY : [...found].sort((a, b) => a.rule.ordering - b.rule.ordering || a.rule.id - b.rule.id);
    if (cache.size >= MAX_CACHED_EVENTS) cache.clear();
    cache.set(event, list);
    return list;
  }
}

function withDefaults(rule: Rule, registry: HandlerModuleRegistry): OptionValues {
  const specs = registry.get(rule.handlerModule)?.actions[rule.action]?.options;
  if (specs === undefined) return rule.options;
  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) if (spec.default !== undefined) options[name] = spec.default;
  return Object.assign(options, rule.options);
}

/** `*` matches any text; everything else literally. */
function patternToRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
