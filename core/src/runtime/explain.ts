import type { HookPlan, PlanEntry } from '../report';
import { orderReason } from '../ordering';
import type { ListenerEntry } from '../listener-entry';
import type { DispatchTarget } from './dispatch-target';

/** The plan of one hook: its declaration, policy, limits and every listener in dispatch order with why it sits there. */
export function explainHook(t: DispatchTarget, compiled: boolean, hookTimeoutMs: number | undefined): HookPlan {
  const limit = hookTimeoutMs ?? t.host.defaultTimeoutMs;
  const plan: HookPlan = {
    hook: t.name,
    kind: t.spec.kind,
    async: t.spec.async,
    policy: t.policy,
    params: t.spec.options.params ?? [],
    compiled,
    ...(t.spec.async && limit !== undefined ? { timeoutMs: limit } : {}),
    listeners: t.list.entries.map((e, i) => planEntry(t, e, i)),
  };
  return t.spec.options.description !== undefined ? { ...plan, description: t.spec.options.description } : plan;
}

function planEntry(t: DispatchTarget, e: ListenerEntry, i: number): PlanEntry {
  // Async hooks: the limit that applies; sync hooks cannot be limited, so what was declared.
  const timeoutMs = t.spec.async ? t.timeLimit(e, undefined) : e.extra?.timeoutMs;
  return {
    position: i + 1,
    extension: e.extension,
    listener: e.label,
    priority: e.priority,
    enabled: e.slot.enabled,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    reason: orderReason(e) + (e.slot.enabled ? '' : '; skipped: extension disabled'),
  };
}
