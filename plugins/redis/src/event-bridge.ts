import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { CallRecord, HookBus, HookSpecs } from '@plugboard/core';
import { checkPublishRules, checkRaiseRules, type AnyRaiseRule } from './bridge-rules';
import type { BridgeStats, BridgeStatus, PublishOptions, PublishResult, PublishRule, RedisEventBridgeOptions } from './bridge-types';
import { DEFAULT_EVENT_PATTERN, eventChannel } from './channel';
import { closeConnection, openConnection } from './connection';
import { DurableConsumer } from './durable-consumer';
import { resolveDurableOptions, type ResolvedDurableOptions } from './durable-options';
import { RedisBridgeError } from './errors';
import type { DurableHandler, EventHandler } from './event';
import { EventReceiver } from './event-receiver';
import { consoleLogger, describeError, type BridgeLogger } from './logger';
import { isJsonObject, type EventPayload } from './payload';
import { checkDurablePersistence } from './persistence-check';
import { sendEvent, type SendContext } from './send-event';
import { signal as signalOn } from './signal';
import { StatusBoard } from './status-board';
import { tracePublish } from './tracing';

type Role = 'publisher' | 'subscriber' | 'consumer';

/**
 * Bridges a {@link HookBus} and Redis the NethServer 8 way: chosen local hooks are
 * published as JSON objects on `module/<moduleId>/event/<event-name>`; events on
 * `*\/event/*` are delivered to `onEvent` listeners and raised into local hooks; a durable
 * mode on Redis Streams (consumer groups, XACK, XAUTOCLAIM, dead letters) delivers
 * events at least once across crashes. Start the same configuration in several
 * processes against one Redis to share events between them.
 *
 * @example
 * ```ts
 * const bridge = new RedisEventBridge({
 *   moduleId: 'mail1',
 *   bus,
 *   publish: { AccountCreated: { event: 'account-created', payload: (a) => ({ id: a.id, email: a.email }) } },
 *   raise: [{ event: 'account-created', hook: 'AccountCreated', args: (p) => [{ id: Number(p.id), email: String(p.email) }] }],
 * });
 * bridge.onEvent('*', (e) => console.log(e.source, e.name, e.payload));
 * await bridge.start();
 * await bus.call('AccountCreated', account); // → PUBLISH module/mail1/event/account-created {"id":1,…}
 * await bridge.close();
 * ```
 */
export class RedisEventBridge<T extends HookSpecs = HookSpecs> {
  /** Identifies this bridge in the payloads it publishes. */
  readonly instanceId: string;
  readonly moduleId: string;
  private readonly logger: BridgeLogger;
  private readonly pattern: string;
  private readonly closeGraceMs: number;
  private readonly durableOptions: ResolvedDurableOptions | undefined;
  private readonly publishRules: Map<string, PublishRule>;
  private readonly status: StatusBoard;
  private readonly receiver: EventReceiver<T>;
  private readonly sending: SendContext;
  private readonly shutdown = new AbortController();
  private readonly counters: Omit<BridgeStats, 'durable'> = { published: 0, received: 0, dropped: 0, raised: 0, raiseFailed: 0, handlerFailed: 0 };
  private readonly publisher: Redis;
  private readonly subscriber: Redis | undefined;
  private readonly consumer: DurableConsumer | undefined;
  private readonly blocking: Redis | undefined;
  private readonly bus: HookBus<T> | undefined;
  private unintercept: (() => void) | undefined;
  private state: 'new' | 'starting' | 'running' | 'closed' = 'new';

  constructor(options: RedisEventBridgeOptions<T>) {
    // Validates the module id once, so every later channel can be built without checks failing.
    eventChannel(options.moduleId, 'x');
    this.moduleId = options.moduleId;
    this.instanceId = options.instanceId ?? randomUUID();
    this.logger = options.logger ?? consoleLogger;
    this.pattern = options.pattern ?? DEFAULT_EVENT_PATTERN;
    const originField = options.originField === false ? undefined : (options.originField ?? '_origin');
    this.closeGraceMs = options.closeGraceMs ?? 5000;
    this.durableOptions = options.durable ? resolveDurableOptions(options.durable) : undefined;
    this.bus = options.bus;
    this.publishRules = checkPublishRules(options.publish, this.bus, this.durableOptions, this.logger);
    const raiseRules = checkRaiseRules(options.raise, this.bus, this.durableOptions);
    this.status = new StatusBoard(this.logger);
    const { instanceId, logger, bus, counters, status } = this;
    this.receiver = new EventReceiver({ instanceId, originField, logger, bus, raiseRules, counters, status, signal: this.shutdown.signal });
    const tag = `${this.moduleId}/${this.instanceId}`;
    this.publisher = this.track(openConnection(options.redis, `plugboard/${tag}/publisher`), 'publisher');
    this.sending = { publisher: this.publisher, durable: this.durableOptions, source: `module/${options.moduleId}`, originField, instanceId, counters };
    if (options.subscribe !== false) {
      // Resubscription is done by hand on every 'ready' so it can be awaited and reported.
      const sub = openConnection(options.redis, `plugboard/${tag}/subscriber`, { autoResubscribe: false });
      this.subscriber = this.track(sub, 'subscriber');
      sub.on('ready', () => void this.resubscribe());
      sub.on('pmessage', (_pattern: string, channel: string, message: string) => this.receiver.onMessage(channel, message));
    }
    if (this.durableOptions?.group) {
      // XREADGROUP BLOCK holds its connection, so the consumer reads on a connection of its own.
      this.blocking = this.track(openConnection(options.redis, `plugboard/${tag}/consumer`, { maxRetriesPerRequest: null }), 'consumer');
      this.consumer = this.startConsumer(this.blocking, this.durableOptions, raiseRules);
    }
  }

  /** The durable consumer, with the durable raise rules as its handlers. */
  private startConsumer(blocking: Redis, durable: ResolvedDurableOptions, raiseRules: readonly AnyRaiseRule[]): DurableConsumer {
    const { publisher: commands, logger, instanceId } = this;
    const consumer = new DurableConsumer({ commands, blocking, options: durable, logger, instanceId, signal: this.shutdown.signal });
    for (const rule of raiseRules) {
      if (rule.durable) void consumer.add(rule.event, (event) => this.receiver.raiseDurable(rule, event));
    }
    return consumer;
  }

  private track(redis: Redis, role: Role): Redis {
    let lastError = '';
    redis.on('error', (err: unknown) => {
      // ioredis repeats the same error on every retry; log each distinct one once.
      const message = describeError(err);
      if (message !== lastError && this.state !== 'closed') this.logger.warn({ connection: role, error: message }, 'redis connection error; reconnecting');
      lastError = message;
    });
    redis.on('ready', () => {
      lastError = '';
    });
    redis.on('close', () => {
      if (this.state === 'running') this.status.emit({ type: 'connection-lost', connection: role });
    });
    return redis;
  }

  /**
   * Connects, subscribes, creates consumer groups and starts publishing the configured
   * hooks. Resolves once the subscription is active, so an event published afterwards
   * is received.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new RedisBridgeError('PB_REDIS_CONFIG', `start() was already called (state ${this.state}); create a new bridge to start again.`);
    this.state = 'starting';
    try {
      const subscribed = this.subscriber ? this.status.next('subscribed') : undefined;
      await Promise.all([this.publisher.connect(), this.subscriber?.connect(), this.blocking?.connect()]);
      await subscribed;
      await checkDurablePersistence(this.publisher, this.durableOptions, this.logger);
      await this.consumer?.start();
    } catch (cause) {
      await this.close({ graceMs: 0 });
      if (cause instanceof RedisBridgeError) throw cause;
      throw new RedisBridgeError('PB_REDIS_CONFIG', `The Redis event bridge could not start: ${describeError(cause)}. Check that Redis is reachable.`, { cause });
    }
    if (this.bus && this.publishRules.size > 0) {
      this.unintercept = this.bus.intercept({ after: (record) => this.afterHook(record) });
    }
    this.state = 'running';
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private async resubscribe(): Promise<void> {
    const sub = this.subscriber;
    if (!sub || this.state === 'closed') return;
    try {
      await sub.psubscribe(this.pattern);
      this.status.emit({ type: 'subscribed', pattern: this.pattern });
    } catch (err) {
      // The connection dropped again before PSUBSCRIBE completed; the next 'ready' retries.
      if (!this.isClosed()) this.logger.warn({ pattern: this.pattern, error: describeError(err) }, 'PSUBSCRIBE failed; retrying on reconnect');
    }
  }

  /**
   * Listens to what the bridge reports: `subscribed` (also after every reconnect),
   * `connection-lost`, `dropped` (a message that was not a JSON object), `raised` (a local
   * hook call for a Redis event settled). Returns the undo.
   */
  onStatus(listener: (status: BridgeStatus) => void): () => void {
    return this.status.on(listener);
  }

  // ---- publishing -------------------------------------------------------------------

  private afterHook(record: CallRecord): void | Promise<void> {
    const rule = this.publishRules.get(record.hook);
    if (!rule || 'error' in record) return;
    // The call was made by this bridge for an event that came from Redis: publishing it would echo.
    if (this.receiver.isRaising(record.hook)) return;
    let payload: EventPayload;
    try {
      payload = rule.payload(...record.args);
    } catch (cause) {
      this.logger.error({ hook: record.hook, event: rule.event, error: describeError(cause) }, 'publish mapper failed; event not published');
      return;
    }
    const sent = this.publish(rule.event, payload, { durable: rule.durable === true }).then(
      () => undefined,
      (err: unknown) => this.logger.error({ hook: record.hook, event: rule.event, error: describeError(err) }, 'publishing a hook call to Redis failed'),
    );
    // Durable events are stored before the hook call returns; plain ones do not slow it down.
    return rule.durable ? sent : undefined;
  }

  /**
   * Publishes an event of this module on `module/<moduleId>/event/<event>` (the payload
   * carries this bridge's origin field). With `durable`, first appends it to the event's
   * stream (XADD … MAXLEN ~), so consumer groups receive it at least once.
   *
   * @example
   * ```ts
   * await bridge.publish('account-created', { id: 42 });
   * const { id } = await bridge.publish('mailbox-quota-exceeded', { mailbox: 'a@b.c' }, { durable: true });
   * ```
   */
  async publish(event: string, payload: EventPayload, options: PublishOptions = {}): Promise<PublishResult> {
    if (this.state === 'closed') throw new RedisBridgeError('PB_REDIS_CLOSED', `publish("${event}") after close(); publish before closing the bridge.`);
    const channel = eventChannel(this.moduleId, event);
    if (!isJsonObject(payload)) throw new RedisBridgeError('PB_REDIS_INVALID_PAYLOAD', `Payload of "${event}" must be a plain JSON object.`);
    return tracePublish(channel, options.durable === true, (carrier) => sendEvent(this.sending, event, channel, payload, carrier, options));
  }

  /**
   * Signals an event exactly like `redis-cli PUBLISH module/<moduleId>/event/<event> '<json>'`
   * (no origin field; text payloads are published byte for byte). Resolves to the number of receivers.
   *
   * @example
   * ```ts
   * await bridge.signal('traefik1', 'test', '{"field": "value"}');
   * ```
   */
  async signal(moduleId: string, event: string, payload: EventPayload | string): Promise<number> {
    if (this.state === 'closed') throw new RedisBridgeError('PB_REDIS_CLOSED', `signal("${event}") after close().`);
    return signalOn(this.publisher, moduleId, event, payload);
  }

  // ---- receiving --------------------------------------------------------------------

  /**
   * Listens to pub/sub events named `name` (or every event with `'*'`), from any source,
   * this bridge's own included (`event.own`). Handlers run isolated: a throw is logged and
   * counted, never affects other handlers or messages. Returns the undo.
   *
   * @example
   * ```ts
   * const off = bridge.onEvent('account-provider-changed', (e) => reload(e.payload));
   * ```
   */
  onEvent(name: string, handler: EventHandler): () => void {
    return this.receiver.on(name, handler);
  }

  /**
   * Consumes durable events named `name` from their stream with this bridge's consumer
   * group. Resolve to acknowledge (XACK); throw to leave the entry pending: it is
   * delivered again (to any consumer of the group) after `claimIdleMs`, and after
   * `maxDeliveries` moved to the dead-letter stream. `event.id` is the stream entry id,
   * identical on every redelivery: use it to stay idempotent. Returns the undo once the
   * consumer group exists.
   *
   * @example
   * ```ts
   * await bridge.consume('account-created', async (e) => {
   *   if (await seen(e.id)) return;          // at-least-once: deduplicate
   *   await provisionMailbox(e.payload);
   * });
   * ```
   */
  async consume(name: string, handler: DurableHandler): Promise<() => void> {
    if (!this.consumer) {
      throw new RedisBridgeError('PB_REDIS_CONFIG', `consume("${name}") needs durable mode with a consumer group: pass durable: { group: 'my-service' }.`);
    }
    if (!name || name.includes('/')) throw new RedisBridgeError('PB_REDIS_INVALID_NAME', `consume(): event name "${name}" must be non-empty and without "/".`);
    if (this.state === 'closed') throw new RedisBridgeError('PB_REDIS_CLOSED', `consume("${name}") after close().`);
    return this.consumer.add(name, handler);
  }

  /** The stream key that holds durable event `name`. */
  streamOf(name: string): string {
    if (!this.durableOptions) throw new RedisBridgeError('PB_REDIS_CONFIG', 'streamOf() needs the bridge\'s "durable" options.');
    return `${this.durableOptions.streamPrefix}${name}`;
  }

  /** Counters since start (a copy). */
  stats(): BridgeStats {
    return { ...this.counters, ...(this.consumer ? { durable: { ...this.consumer.stats } } : {}) };
  }

  /**
   * Stops publishing hooks, stops the durable loop, waits up to `graceMs` (default
   * `closeGraceMs`) for running handlers, then quits every connection. A durable handler
   * still running after the grace period never acknowledges: its entry is redelivered.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const graceMs = options.graceMs ?? this.closeGraceMs;
    this.unintercept?.();
    this.shutdown.abort(new RedisBridgeError('PB_REDIS_CLOSED', 'The Redis event bridge is closing.'));
    await this.consumer?.stop(graceMs);
    await this.receiver.settle(graceMs);
    // The consumer already disconnected its blocking connection; disconnecting twice would leave ioredis' 2 s destroy timer behind.
    await Promise.all([this.publisher, this.subscriber].map((c) => (c ? closeConnection(c) : undefined)));
  }
}
