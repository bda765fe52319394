import { AsyncLocalStorage } from 'node:async_hooks';
import type { ErrorPolicy, HookBus, HookSpecs } from '@plugboard/core';
import { sourceMatches, type AnyRaiseRule } from './bridge-rules';
import type { BridgeStats } from './bridge-types';
import { parseEventChannel, type EventAddress } from './channel';
import type { BridgeEvent, DurableEvent, EventHandler } from './event';
import { describeError, type BridgeLogger } from './logger';
import { parsePayload, type EventPayload } from './payload';
import { takeMarks, type Marks } from './bridge-marks';
import type { StatusBoard } from './status-board';
import { takeCarrier, traceConsume } from './tracing';

/** What the receiving side needs from the bridge that owns it. */
export interface EventReceiverDeps<T extends HookSpecs> {
  readonly instanceId: string;
  readonly originField: string | undefined;
  readonly logger: BridgeLogger;
  readonly bus: HookBus<T> | undefined;
  readonly raiseRules: readonly AnyRaiseRule[];
  /** The bridge's counters, updated in place. */
  readonly counters: Omit<BridgeStats, 'durable'>;
  readonly status: StatusBoard;
  /** Aborted when the bridge closes; handed to handlers and hook calls. */
  readonly signal: AbortSignal;
}

/**
 * The receiving side of the bridge: parses pub/sub messages into events, runs the `onEvent`
 * handlers isolated, and raises events into local hooks by the raise rules (pub/sub and durable).
 */
export class EventReceiver<T extends HookSpecs> {
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly raising = new AsyncLocalStorage<{ hook: string }>();

  constructor(private readonly d: EventReceiverDeps<T>) {}

  /** Adds a handler of events named `name` (`'*'`: every event); returns the undo. */
  on(name: string, handler: EventHandler): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler);
    return () => {
      const current = this.handlers.get(name);
      current?.delete(handler);
      if (current?.size === 0) this.handlers.delete(name);
    };
  }

  /** Whether the current call runs inside this bridge's raising of `hook` (publishing it would echo). */
  isRaising(hook: string): boolean {
    return this.raising.getStore()?.hook === hook;
  }

  /** Waits up to `graceMs` for running handlers and hook calls. */
  async settle(graceMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  onMessage(channel: string, message: string): void {
    const address = parseEventChannel(channel);
    if (!address) return;
    this.d.counters.received += 1;
    let payload: EventPayload;
    try {
      payload = parsePayload(message, channel);
    } catch (err) {
      this.d.counters.dropped += 1;
      const reason = describeError(err);
      this.d.logger.warn({ channel, message: message.length > 200 ? `${message.slice(0, 200)}…` : message, error: reason }, 'dropped an event that is not a JSON object');
      this.d.status.emit({ type: 'dropped', channel, reason });
      return;
    }
    const marks = takeMarks(payload, this.d.originField);
    const traced = takeCarrier(marks.payload);
    traceConsume(channel, traced.carrier, { 'messaging.operation.name': 'pmessage' }, () => this.dispatch(address, message, { ...marks, payload: traced.payload }));
  }

  private dispatch(address: EventAddress, message: string, { payload, origin, sentAt }: Marks): void {
    const event: BridgeEvent = {
      source: address.source,
      ...(address.moduleId === undefined ? {} : { moduleId: address.moduleId }),
      name: address.name,
      payload,
      raw: message,
      ...(origin === undefined ? {} : { origin }),
      ...(sentAt === undefined ? {} : { sentAt }),
      own: origin === this.d.instanceId,
    };
    for (const key of [address.name, '*']) {
      for (const handler of this.handlers.get(key) ?? []) this.runHandler(handler, event);
    }
    if (event.own) return;
    for (const rule of this.d.raiseRules) {
      if (!rule.durable && rule.event === event.name && sourceMatches(rule.source, event.source)) this.keep(this.raise(rule, event, rule.policy));
    }
  }

  private runHandler(handler: EventHandler, event: BridgeEvent): void {
    const failed = (err: unknown): void => {
      this.d.counters.handlerFailed += 1;
      this.d.logger.error({ source: event.source, event: event.name, error: describeError(err) }, 'event handler failed');
    };
    try {
      const r = handler(event, { signal: this.d.signal });
      if (r && typeof (r as Promise<void>).then === 'function') this.keep(Promise.resolve(r).then(undefined, failed));
    } catch (err) {
      failed(err);
    }
  }

  private keep(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Calls the rule's hook for `event`; rejects when the call failed (never for pub/sub callers, which only log). */
  private async raise(rule: AnyRaiseRule, event: BridgeEvent, policy: ErrorPolicy | undefined, rethrow = false): Promise<void> {
    const bus = this.d.bus;
    if (!bus) return;
    this.d.counters.raised += 1;
    try {
      const args = rule.args(event.payload, event);
      const options = { signal: this.d.signal, ...(policy === undefined ? {} : { policy }) };
      await this.raising.run({ hook: rule.hook }, () => bus.invokeByName(rule.hook, args, options));
      this.d.status.emit({ type: 'raised', hook: rule.hook, event });
    } catch (error) {
      this.d.counters.raiseFailed += 1;
      this.d.logger.error({ hook: rule.hook, source: event.source, event: event.name, id: event.id, error: describeError(error) }, 'raising a Redis event into a local hook failed');
      this.d.status.emit({ type: 'raised', hook: rule.hook, event, error });
      if (rethrow) throw error;
    }
  }

  /** The durable consumer's handler for a durable raise rule: a rejection leaves the entry pending. */
  async raiseDurable(rule: AnyRaiseRule, event: DurableEvent): Promise<void> {
    // Our own durable event already ran its hook locally.
    if (event.own || !sourceMatches(rule.source, event.source)) return;
    await this.raise(rule, event, rule.policy ?? 'aggregate', true);
  }
}
