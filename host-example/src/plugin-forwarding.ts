import { newEventId, type CallRecord, type HookKind } from '@plugboard/core';
import type { EmailHooks } from '@plugboard/notify';
import type { DurableOutbox } from '@plugboard/outbox';
import type { RedisEventBridge } from '@plugboard/redis';
import { toEventDirectoryName, type StepScriptRunner } from '@plugboard/scripts';
import type { Webhooks } from '@plugboard/webhooks';
import type { Logger } from 'pino';
import { hookArgs, hookEventParts, hookPayload, jsonSafe, remoteEventScope } from './hook-events';
import { publishedPayload } from './published-payload';
import type { HostBus } from './host-bus';
import type { LiveEvents } from './live-events';

/** A hook's parameter names and kind. */
export interface HookPlanOf {
  readonly params: readonly string[];
  readonly kind: HookKind;
}

/** The plans of the bus's hooks, looked up once each. */
export function hookPlans(bus: HostBus): (hook: string) => HookPlanOf {
  const plans = new Map<string, HookPlanOf>();
  return (hook) => {
    let p = plans.get(hook);
    if (p === undefined) {
      const explained = bus.explain(hook as never);
      p = { params: explained.params, kind: explained.kind };
      plans.set(hook, p);
    }
    return p;
  };
}

/** One id per hook call, given when it is raised: rules (pre and post) and published webhooks see the same event id. */
export function hookEventIds(): (args: readonly unknown[]) => string {
  const ids = new WeakMap<readonly unknown[], string>();
  return (args) => {
    let id = ids.get(args);
    if (id === undefined) {
      id = newEventId();
      ids.set(args, id);
    }
    return id;
  };
}

/** Event directory names (`account-created`) by hook, and hooks by event name. */
export function eventDirectoryNames(bus: HostBus): { kebab: Map<string, string>; byEvent: Map<string, string> } {
  const kebab = new Map<string, string>();
  const byEvent = new Map<string, string>();
  for (const name of bus.names()) {
    const event = toEventDirectoryName(name);
    kebab.set(name, event);
    byEvent.set(event, name);
  }
  return { kebab, byEvent };
}

/** The message of a thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Arguments of a call for the live log: JSON-safe, shortened, secret parameters (`password`) redacted. */
function liveArgs(params: readonly string[], args: readonly unknown[]): unknown[] {
  const named = hookPayload(params, args);
  return args.map((_, i) => jsonSafe(named[params[i] ?? `arg${i}`], { maxString: 200, maxDepth: 4, maxItems: 20 }) ?? null);
}

/** Where a hook call goes once it happened. */
export interface Forwarding {
  readonly plan: (hook: string) => HookPlanOf;
  readonly eventId: (args: readonly unknown[]) => string;
  readonly liveEvents: LiveEvents;
  readonly webhooks: Webhooks;
  readonly emailHooks: EmailHooks;
  readonly scripts: StepScriptRunner;
  readonly eventsDirs: readonly string[];
  readonly moduleId: string;
  /** The Redis bridge, when it is connected (calls before start stay local). */
  readonly redis: () => RedisEventBridge | undefined;
  /** Hooks published on Redis. */
  readonly published: ReadonlySet<string>;
  /** Event directory names (`account-created`) by hook. */
  readonly kebab: ReadonlyMap<string, string>;
  readonly log: Logger;
}

/** Local consequences of a successful notify call: webhooks, email hooks and Redis (never for calls that came from Redis). */
function publishLocal(f: Forwarding, record: CallRecord, payload: Record<string, unknown>, outgoing: Record<string, unknown>, event: string): void {
  const realm = hookEventParts(f.plan(record.hook).params, record.args).realm;
  // On SQLite the messages are queued before this returns.
  f.webhooks
    .publish(record.hook, payload, { eventId: f.eventId(record.args), ...(realm !== undefined ? { realm } : {}) })
    .catch((e: unknown) => f.log.error({ err: e, hook: record.hook }, `could not queue webhooks for ${record.hook}: ${errorMessage(e)}`));
  // Stored email hooks bound to this hook get the same payload and realm; the mail is queued before this returns.
  f.emailHooks
    .publish(record.hook, payload, realm !== undefined ? { realm } : {})
    .catch((e: unknown) => f.log.error({ err: e, hook: record.hook }, `could not queue email hooks for ${record.hook}: ${errorMessage(e)}`));
  const redis = f.redis();
  if (redis !== undefined && f.published.has(record.hook)) {
    redis.publish(event, outgoing).catch((e: unknown) => f.log.error({ err: e, hook: record.hook }, `could not publish ${record.hook} to Redis: ${errorMessage(e)}`));
  }
}

/**
 * What happens after each hook call: it shows on the live event hub, and a successful notify call
 * (only what happened leaves the process) goes to webhooks, email hooks, Redis and step scripts.
 *
 * @example
 * ```ts
 * bus.intercept({ after: forwardCall(forwarding) });
 * ```
 */
export function forwardCall(f: Forwarding): (record: CallRecord) => void {
  return (record) => {
    const { params, kind } = f.plan(record.hook);
    const remote = remoteEventScope.getStore();
    const failed = 'error' in record && record.error !== undefined;
    if (f.liveEvents.listenerCount('call') > 0) {
      f.liveEvents.publish('call', {
        hook: record.hook,
        args: liveArgs(params, record.args),
        report: record.report,
        ...(failed ? { error: errorMessage(record.error) } : {}),
        ...(remote !== undefined ? { source: remote.source } : {}),
        at: new Date().toISOString(),
      });
    }
    if (kind !== 'notify' || failed) return;
    const payload = hookPayload(params, record.args);
    // Other processes and step scripts get the minimal information about the event, not whole user records.
    const outgoing = publishedPayload(params, record.args);
    const event = f.kebab.get(record.hook) ?? record.hook;
    if (remote === undefined) publishLocal(f, record, payload, outgoing, event);
    if (f.eventsDirs.length > 0) {
      // Step scripts run in the background: a slow script never holds up the request.
      f.scripts.run(event, outgoing, { source: remote?.source ?? `module/${f.moduleId}` }).catch((e: unknown) => f.log.error({ err: e, hook: record.hook }, errorMessage(e)));
    }
  };
}

/** Events received from Redis are raised into the local hooks (extensions observe them, step scripts run from the interceptor). */
export function raiseRemoteEvents(redis: RedisEventBridge, f: Pick<Forwarding, 'plan' | 'scripts' | 'eventsDirs'>, bus: HostBus, byEvent: ReadonlyMap<string, string>): void {
  redis.onEvent('*', async (e) => {
    if (e.own) return;
    const hook = byEvent.get(e.name);
    if (hook !== undefined && f.plan(hook).kind === 'notify') {
      await remoteEventScope.run({ source: e.source, name: e.name }, () => bus.invokeByName(hook, hookArgs(f.plan(hook).params, e.payload)));
    } else if (f.eventsDirs.length > 0) {
      await f.scripts.run(e.name, e.payload, { source: e.source });
    }
  });
}

/** Outbox deliveries, retries and dead letters show on the live event hub. */
export function relayOutboxEvents(outbox: DurableOutbox, liveEvents: LiveEvents): void {
  for (const event of ['delivered', 'retry', 'dead'] as const) {
    outbox.on(event, (msg: { id: string; channel: string }, info: { attempt: number; error?: unknown }) => {
      liveEvents.publish('outbox', {
        type: event,
        id: msg.id,
        channel: msg.channel,
        attempt: info.attempt,
        ...(info.error !== undefined ? { error: errorMessage(info.error) } : {}),
        at: new Date().toISOString(),
      });
    });
  }
}
