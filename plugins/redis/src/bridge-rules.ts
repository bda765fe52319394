import type { HookBus, HookSpecs } from '@plugboard/core';
import type { PublishMap, PublishRule, RaiseRule, RaiseRuleFor } from './bridge-types';
import type { ResolvedDurableOptions } from './durable-options';
import { RedisBridgeError } from './errors';
import { checkEventName } from './event-name';
import type { BridgeLogger } from './logger';

/** A raise rule with its hook's types erased, as the bridge stores it. */
export type AnyRaiseRule = RaiseRuleFor<string, readonly unknown[]>;

/**
 * Checks the `publish` option against the bus (hooks exist, mappers are functions, event names
 * valid, durable rules have durable options); warns about names that do not look past tense.
 * Returns the rules by hook name.
 */
export function checkPublishRules<T extends HookSpecs>(
  publish: PublishMap<T> | undefined,
  bus: HookBus<T> | undefined,
  durable: ResolvedDurableOptions | undefined,
  logger: BridgeLogger,
): Map<string, PublishRule> {
  const rules = new Map<string, PublishRule>();
  if (!publish) return rules;
  for (const [hook, rule] of Object.entries(publish) as [string, PublishRule | undefined][]) {
    if (!rule) continue;
    if (!bus) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook} needs a bus: pass the HookBus as options.bus.`, { hook });
    if (!bus.has(hook)) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}: the bus has no hook "${hook}"; fix the hook name.`, { hook });
    if (typeof rule.payload !== 'function') {
      throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}.payload must be a function mapping the hook's arguments to a JSON object.`, { hook });
    }
    const problem = checkEventName(rule.event);
    if (problem?.level === 'error') throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}: ${problem.message}`, { hook });
    if (problem) logger.warn({ hook, event: rule.event }, problem.message);
    if (rule.durable && !durable) {
      throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook} is durable but the bridge has no "durable" options; add durable: { streamPrefix? } (group only to consume).`, { hook });
    }
    rules.set(hook, rule);
  }
  return rules;
}

/** Checks the `raise` option against the bus (hooks exist, event names valid, durable rules have a group). */
export function checkRaiseRules<T extends HookSpecs>(
  raise: readonly RaiseRule<T>[] | undefined,
  bus: HookBus<T> | undefined,
  durable: ResolvedDurableOptions | undefined,
): AnyRaiseRule[] {
  const rules: AnyRaiseRule[] = [];
  for (const rule of (raise ?? []) as readonly AnyRaiseRule[]) {
    const where = `raise rule ${rule.event} → ${rule.hook}`;
    if (!bus) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where} needs a bus: pass the HookBus as options.bus.`, { hook: rule.hook });
    if (!bus.has(rule.hook)) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where}: the bus has no hook "${rule.hook}"; fix the hook name.`, { hook: rule.hook });
    if (!rule.event || rule.event.includes('/')) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where}: the event name must be non-empty and without "/".`, { hook: rule.hook });
    if (rule.durable && !durable?.group) {
      throw new RedisBridgeError('PB_REDIS_CONFIG', `${where} is durable but durable.group is not set; name the consumer group, e.g. durable: { group: 'worker' }.`, { hook: rule.hook });
    }
    rules.push(rule);
  }
  return rules;
}

/** Whether a rule's `source` filter accepts `source`. */
export function sourceMatches(filter: AnyRaiseRule['source'], source: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'function' ? filter(source) : filter === source;
}
