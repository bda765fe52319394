import type { Unregister } from '@plugboard/core';
import type { DurableOutbox } from '@plugboard/outbox';
import type { BridgeEvent, BridgeStatus } from '@plugboard/redis';
import type { RuleRunListener } from '@plugboard/rules';
import { WEBHOOK_CHANNEL } from '@plugboard/webhooks';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ScriptRunListener } from './observed-script-runner';

/** The plugins whose observer APIs the metrics listen to; each one is optional. */
export interface PluginSources {
  readonly rules?: { onRun(listener: RuleRunListener): () => void };
  readonly outbox?: Pick<DurableOutbox, 'on' | 'off'>;
  readonly scripts?: { onRun(listener: ScriptRunListener): () => void };
  readonly redis?: {
    onStatus(listener: (status: BridgeStatus) => void): () => void;
    onEvent(name: string, handler: (event: BridgeEvent) => void): () => void;
  };
}

// Deliveries and scripts take from milliseconds (a local SMTP server) to minutes (retries with backoff).
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800];
const SCRIPT_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300];
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

/** A durable event's stream entry id starts with the millisecond it was added (`1718000000000-0`). */
function entryTime(id: string | undefined): number | undefined {
  const ms = id === undefined ? NaN : Number(id.split('-')[0]);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Registers the plugins' metrics in `registry` and starts listening: rule actions by outcome,
 * outbox delivery attempts and latency (queued → delivered), webhook responses by status, step
 * script durations, Redis bridge reconnects and lag. Returns the undo.
 *
 * @example
 * ```ts
 * const stop = attachPluginMetrics(registry, { rules: engine, outbox, scripts, redis: bridge });
 * ```
 */
export function attachPluginMetrics(registry: Registry, sources: PluginSources): Unregister {
  const registers = [registry];
  const undo: (() => unknown)[] = [];
  const rules = sources.rules;
  if (rules !== undefined) {
    const actions = new Counter({
      name: 'plugboard_rule_actions_total',
      help: 'Rule runs by handler module, action and outcome (ran, skipped, failed).',
      labelNames: ['module', 'action', 'outcome'],
      registers,
    });
    undo.push(rules.onRun((run) => actions.inc({ module: run.handlerModule, action: run.action, outcome: run.status })));
  }
  if (sources.outbox !== undefined) undo.push(observeOutbox(registry, sources.outbox));
  const scripts = sources.scripts;
  if (scripts !== undefined) {
    const duration = new Histogram({
      name: 'plugboard_step_script_duration_seconds',
      help: 'Duration of step-script handler runs by event and status (completed, aborted, timeout).',
      labelNames: ['event', 'status'],
      buckets: SCRIPT_BUCKETS,
      registers,
    });
    // A run without a handler directory did nothing worth timing.
    undo.push(scripts.onRun((r) => r.status !== 'no-handler' && duration.observe({ event: r.event, status: r.status }, r.durationMs / 1000)));
  }
  if (sources.redis !== undefined) undo.push(observeRedis(registry, sources.redis));
  return () => {
    for (const u of undo.splice(0)) u();
  };
}

function observeOutbox(registry: Registry, outbox: Pick<DurableOutbox, 'on' | 'off'>): () => void {
  const registers = [registry];
  const attempts = new Counter({
    name: 'plugboard_outbox_attempts_total',
    help: 'Outbox delivery attempts by channel and outcome (delivered, retry, dead).',
    labelNames: ['channel', 'outcome'],
    registers,
  });
  const latency = new Histogram({
    name: 'plugboard_outbox_delivery_latency_seconds',
    help: 'Time from queued to delivered, retries included, by channel.',
    labelNames: ['channel'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const webhooks = new Counter({
    name: 'plugboard_webhook_responses_total',
    help: 'Webhook delivery attempts by the HTTP status the receiver answered ("none" when no answer: refused, timed out, address guard).',
    labelNames: ['status'],
    registers,
  });
  const webhook = (channel: string, status: number | undefined): void => {
    if (channel === WEBHOOK_CHANNEL) webhooks.inc({ status: status === undefined ? 'none' : String(status) });
  };
  const delivered: Parameters<typeof outbox.on<'delivered'>>[1] = (msg, info) => {
    attempts.inc({ channel: msg.channel, outcome: 'delivered' });
    latency.observe({ channel: msg.channel }, Math.max(0, Date.now() - msg.createdAt.getTime()) / 1000);
    webhook(msg.channel, info.receipt?.statusCode);
  };
  const retry: Parameters<typeof outbox.on<'retry'>>[1] = (msg, info) => {
    attempts.inc({ channel: msg.channel, outcome: 'retry' });
    webhook(msg.channel, info.statusCode);
  };
  const dead: Parameters<typeof outbox.on<'dead'>>[1] = (msg, info) => {
    attempts.inc({ channel: msg.channel, outcome: 'dead' });
    webhook(msg.channel, info.statusCode);
  };
  outbox.on('delivered', delivered);
  outbox.on('retry', retry);
  outbox.on('dead', dead);
  return () => {
    outbox.off('delivered', delivered);
    outbox.off('retry', retry);
    outbox.off('dead', dead);
  };
}

function observeRedis(registry: Registry, redis: NonNullable<PluginSources['redis']>): () => void {
  const registers = [registry];
  const reconnects = new Counter({
    name: 'plugboard_redis_reconnects_total',
    help: 'Redis connections of the event bridge lost while running (ioredis then reconnects), by connection.',
    labelNames: ['connection'],
    registers,
  });
  const lag = new Histogram({
    name: 'plugboard_redis_lag_seconds',
    help: 'Time from an event being published (pub/sub: the publishing bridge\'s send time; durable: its stream entry\'s time) to this process consuming it.',
    labelNames: ['event'],
    buckets: LAG_BUCKETS,
    registers,
  });
  const consumed = (event: BridgeEvent): void => {
    const at = entryTime(event.id) ?? event.sentAt?.getTime();
    if (at !== undefined) lag.observe({ event: event.name }, Math.max(0, Date.now() - at) / 1000);
  };
  const offStatus = redis.onStatus((s) => {
    if (s.type === 'connection-lost') reconnects.inc({ connection: s.connection });
    else if (s.type === 'raised') consumed(s.event);
  });
  const offEvent = redis.onEvent('*', consumed);
  return () => {
    offStatus();
    offEvent();
  };
}
