import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { ArgsOf, CallRecord, ErrorPolicy, HookBus, HookName, HookSpecs } from '@plugboard/core';
import { DEFAULT_EVENT_PATTERN, eventChannel, parseEventChannel, type EventAddress } from './channel';
import { closeConnection, openConnection, type RedisConnection } from './connection';
import { DurableConsumer, streamEntryFields, type DurableStats } from './durable-consumer';
import { redisPersistence } from './persistence';
import { resolveDurableOptions, type DurableOptions, type ResolvedDurableOptions } from './durable-options';
import { RedisBridgeError } from './errors';
import type { BridgeEvent, DurableEvent, DurableHandler, EventHandler } from './event';
import { checkEventName } from './event-name';
import { consoleLogger, describeError, type BridgeLogger } from './logger';
import { parsePayload, serializePayload, isJsonObject, type EventPayload } from './payload';
import { signal as signalOn } from './signal';
import { markPayload, takeMarks, type Marks } from './bridge-marks';
import { takeCarrier, traceConsume, tracePublish, type TraceCarrier } from './tracing';

/** How one local hook is published to Redis. */
export interface PublishRule<A extends readonly unknown[] = readonly unknown[]> {
  /** Event name, kebab-case past tense (`account-created`); a name that does not look past tense is warned about. */
  readonly event: string;
  /** Maps the hook's arguments to the JSON object payload: keep it minimal (ids, names), never secrets. */
  readonly payload: (...args: A) => EventPayload;
  /**
   * Also append the event to its Redis stream (durable mode) and make the hook call wait
   * until Redis stored it. Default false: a fire-and-forget PUBLISH.
   */
  readonly durable?: boolean;
}

/** Hook name → how it is published. */
export type PublishMap<T extends HookSpecs> = { readonly [K in HookName<T>]?: PublishRule<ArgsOf<T[K]>> };

/** How an event from Redis is raised into one local hook. */
export interface RaiseRuleFor<K extends string, A extends readonly unknown[]> {
  /** The event name to listen for (`account-created`, or `test` from another tool). */
  readonly event: string;
  /** The local hook to call. */
  readonly hook: K;
  /** Maps the payload (and the event) to the hook's arguments. */
  readonly args: (payload: EventPayload, event: BridgeEvent) => A;
  /** Only events from this source (`module/mail1`) or accepted by this test. Default: any source. */
  readonly source?: string | ((source: string) => boolean);
  /** Read the event from its stream with the consumer group (at-least-once) instead of pub/sub. */
  readonly durable?: boolean;
  /**
   * Error policy of the hook call. Default: the hook's own for pub/sub; `aggregate` for
   * durable rules, so a failing listener leaves the entry pending and it is retried.
   */
  readonly policy?: ErrorPolicy;
}

/** One raise rule of catalogue `T` (the `args` mapper is typed by the chosen hook). */
export type RaiseRule<T extends HookSpecs> = { [K in HookName<T>]: RaiseRuleFor<K, ArgsOf<T[K]>> }[HookName<T>];

/** Options of a {@link RedisEventBridge}. */
export interface RedisEventBridgeOptions<T extends HookSpecs> {
  /** This process's module id: events are published on `module/<moduleId>/event/<name>`. */
  readonly moduleId: string;
  /** Redis to use (default 127.0.0.1:6379). */
  readonly redis?: RedisConnection;
  /** The hook bus to publish from and raise into. Needed by `publish` and `raise`. */
  readonly bus?: HookBus<T>;
  /** Local hooks published to Redis. */
  readonly publish?: PublishMap<T>;
  /** Events from Redis raised into local hooks. */
  readonly raise?: readonly RaiseRule<T>[];
  /** PSUBSCRIBE pattern; default `*\/event/*` like the NethServer agent. */
  readonly pattern?: string;
  /** Subscribe to pub/sub events at all (default true; false for a publish-only process). */
  readonly subscribe?: boolean;
  /** Durable mode on Redis Streams; needed for durable publishing and consuming. */
  readonly durable?: DurableOptions;
  /**
   * Payload field carrying the publishing bridge's instance id, so a bridge recognises
   * (and does not raise again) its own events. Default `_origin`; `false` leaves payloads
   * untouched (then do not publish and raise the same event in one process).
   */
  readonly originField?: string | false;
  /** Logger (pino-compatible); default the console. */
  readonly logger?: BridgeLogger;
  /** Identifies this bridge in the origin field; default a random UUID. */
  readonly instanceId?: string;
  /** How long `close()` waits for running handlers, in ms (default 5000). */
  readonly closeGraceMs?: number;
}

/** Something the bridge reports about itself (for monitoring and tests). */
export type BridgeStatus =
  | { readonly type: 'subscribed'; readonly pattern: string }
  | { readonly type: 'connection-lost'; readonly connection: 'publisher' | 'subscriber' | 'consumer' }
  | { readonly type: 'dropped'; readonly channel: string; readonly reason: string }
  | { readonly type: 'raised'; readonly hook: string; readonly event: BridgeEvent; readonly error?: unknown };

/** Counters since start. */
export interface BridgeStats {
  /** Events published (PUBLISH done). */
  published: number;
  /** Pub/sub messages received on event channels. */
  received: number;
  /** Messages dropped because they were not a JSON object. */
  dropped: number;
  /** Hook calls made for events from Redis, and how many of them failed. */
  raised: number;
  raiseFailed: number;
  /** Pub/sub handlers that threw. */
  handlerFailed: number;
  /** Durable consumer counters, when consuming. */
  durable?: DurableStats;
}

/** Options of {@link RedisEventBridge.publish}. */
export interface PublishOptions {
  /** Also XADD the event to its stream (needs the `durable` option). */
  readonly durable?: boolean;
}

/** What {@link RedisEventBridge.publish} did. */
export interface PublishResult {
  /** Subscribers that received the PUBLISH. */
  readonly receivers: number;
  /** The stream entry id, for durable publishes. */
  readonly id?: string;
}

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
  private readonly source: string;
  private readonly logger: BridgeLogger;
  private readonly pattern: string;
  private readonly originField: string | undefined;
  private readonly closeGraceMs: number;
  private readonly durableOptions: ResolvedDurableOptions | undefined;
  private readonly publishRules = new Map<string, PublishRule>();
  private readonly raiseRules: RaiseRuleFor<string, readonly unknown[]>[] = [];
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly statusListeners = new Set<(status: BridgeStatus) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly raising = new AsyncLocalStorage<{ hook: string }>();
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
    this.source = `module/${options.moduleId}`;
    this.instanceId = options.instanceId ?? randomUUID();
    this.logger = options.logger ?? consoleLogger;
    this.pattern = options.pattern ?? DEFAULT_EVENT_PATTERN;
    this.originField = options.originField === false ? undefined : (options.originField ?? '_origin');
    this.closeGraceMs = options.closeGraceMs ?? 5000;
    this.durableOptions = options.durable ? resolveDurableOptions(options.durable) : undefined;
    this.bus = options.bus;
    this.configurePublish(options.publish);
    this.configureRaise(options.raise);

    const tag = `${this.moduleId}/${this.instanceId}`;
    this.publisher = this.track(openConnection(options.redis, `plugboard/${tag}/publisher`), 'publisher');
    if (options.subscribe !== false) {
      // Resubscription is done by hand on every 'ready' so it can be awaited and reported.
      const sub = openConnection(options.redis, `plugboard/${tag}/subscriber`, { autoResubscribe: false });
      this.subscriber = this.track(sub, 'subscriber');
      sub.on('ready', () => void this.resubscribe());
      sub.on('pmessage', (_pattern: string, channel: string, message: string) => this.onMessage(channel, message));
    }
    if (this.durableOptions?.group) {
      // XREADGROUP BLOCK holds its connection, so the consumer reads on a connection of its own.
      this.blocking = this.track(openConnection(options.redis, `plugboard/${tag}/consumer`, { maxRetriesPerRequest: null }), 'consumer');
      this.consumer = new DurableConsumer({
        commands: this.publisher,
        blocking: this.blocking,
        options: this.durableOptions,
        logger: this.logger,
        instanceId: this.instanceId,
        signal: this.shutdown.signal,
      });
      for (const rule of this.raiseRules) {
        if (rule.durable) void this.consumer.add(rule.event, (event) => this.raiseDurable(rule, event));
      }
    }
  }

  private configurePublish(publish: PublishMap<T> | undefined): void {
    if (!publish) return;
    for (const [hook, rule] of Object.entries(publish) as [string, PublishRule | undefined][]) {
      if (!rule) continue;
      if (!this.bus) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook} needs a bus: pass the HookBus as options.bus.`, { hook });
      if (!this.bus.has(hook)) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}: the bus has no hook "${hook}"; fix the hook name.`, { hook });
      if (typeof rule.payload !== 'function') {
        throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}.payload must be a function mapping the hook's arguments to a JSON object.`, { hook });
      }
      const problem = checkEventName(rule.event);
      if (problem?.level === 'error') throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook}: ${problem.message}`, { hook });
      if (problem) this.logger.warn({ hook, event: rule.event }, problem.message);
      if (rule.durable && !this.durableOptions) {
        throw new RedisBridgeError('PB_REDIS_CONFIG', `publish.${hook} is durable but the bridge has no "durable" options; add durable: { streamPrefix? } (group only to consume).`, { hook });
      }
      this.publishRules.set(hook, rule);
    }
  }

  private configureRaise(raise: readonly RaiseRule<T>[] | undefined): void {
    for (const rule of (raise ?? []) as readonly RaiseRuleFor<string, readonly unknown[]>[]) {
      const where = `raise rule ${rule.event} → ${rule.hook}`;
      if (!this.bus) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where} needs a bus: pass the HookBus as options.bus.`, { hook: rule.hook });
      if (!this.bus.has(rule.hook)) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where}: the bus has no hook "${rule.hook}"; fix the hook name.`, { hook: rule.hook });
      if (!rule.event || rule.event.includes('/')) throw new RedisBridgeError('PB_REDIS_CONFIG', `${where}: the event name must be non-empty and without "/".`, { hook: rule.hook });
      if (rule.durable && !this.durableOptions?.group) {
        throw new RedisBridgeError('PB_REDIS_CONFIG', `${where} is durable but durable.group is not set; name the consumer group, e.g. durable: { group: 'worker' }.`, { hook: rule.hook });
      }
      this.raiseRules.push(rule);
    }
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
      if (this.state === 'running') this.emitStatus({ type: 'connection-lost', connection: role });
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
      const subscribed = this.subscriber ? this.nextStatus('subscribed') : undefined;
      await Promise.all([this.publisher.connect(), this.subscriber?.connect(), this.blocking?.connect()]);
      await subscribed;
      await this.checkPersistence();
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

  /** Durable mode needs a Redis that keeps its streams across a restart; refuse or warn otherwise. */
  private async checkPersistence(): Promise<void> {
    const durable = this.durableOptions;
    if (durable === undefined) return;
    const { state, detail } = await redisPersistence(this.publisher);
    if (state === 'persistent') return;
    if (state === 'unknown') {
      this.logger.warn({ detail }, 'durable mode: could not tell whether Redis persists its data; make sure AOF or RDB snapshots are on, or events are lost when Redis restarts');
      return;
    }
    if (!durable.allowVolatile) {
      throw new RedisBridgeError(
        'PB_REDIS_VOLATILE',
        `Durable mode needs a Redis that keeps its data across a restart, but this one has ${detail}: a Redis restart would lose every event not yet consumed. ` +
          'Turn on AOF (CONFIG SET appendonly yes) or RDB snapshots, or accept the risk with durable: { allowVolatile: true }.',
      );
    }
    this.logger.warn({ detail }, 'durable mode on a Redis that keeps nothing on disk (allowVolatile): events not yet consumed are lost if Redis restarts');
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private async resubscribe(): Promise<void> {
    const sub = this.subscriber;
    if (!sub || this.state === 'closed') return;
    try {
      await sub.psubscribe(this.pattern);
      this.emitStatus({ type: 'subscribed', pattern: this.pattern });
    } catch (err) {
      // The connection dropped again before PSUBSCRIBE completed; the next 'ready' retries.
      if (!this.isClosed()) this.logger.warn({ pattern: this.pattern, error: describeError(err) }, 'PSUBSCRIBE failed; retrying on reconnect');
    }
  }

  /** Resolves at the next status of this type (internal; tests use {@link onStatus}). */
  private nextStatus(type: BridgeStatus['type']): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onStatus((s) => {
        if (s.type === type) {
          off();
          resolve();
        }
      });
    });
  }

  /**
   * Listens to what the bridge reports: `subscribed` (also after every reconnect),
   * `connection-lost`, `dropped` (a message that was not a JSON object), `raised` (a local
   * hook call for a Redis event settled). Returns the undo.
   */
  onStatus(listener: (status: BridgeStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private emitStatus(status: BridgeStatus): void {
    for (const l of [...this.statusListeners]) {
      try {
        l(status);
      } catch (err) {
        this.logger.error({ status: status.type, error: describeError(err) }, 'status listener failed');
      }
    }
  }

  // ---- publishing -------------------------------------------------------------------

  private afterHook(record: CallRecord): void | Promise<void> {
    const rule = this.publishRules.get(record.hook);
    if (!rule || 'error' in record) return;
    // The call was made by this bridge for an event that came from Redis: publishing it would echo.
    if (this.raising.getStore()?.hook === record.hook) return;
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
    return tracePublish(channel, options.durable === true, (carrier) => this.send(event, channel, payload, carrier, options));
  }

  private async send(event: string, channel: string, payload: EventPayload, carrier: TraceCarrier, options: PublishOptions): Promise<PublishResult> {
    const message = serializePayload(markPayload({ ...payload, ...carrier }, this.originField, this.instanceId), channel);
    let id: string | undefined;
    try {
      if (options.durable) {
        const durable = this.durableOptions;
        if (!durable) throw new RedisBridgeError('PB_REDIS_CONFIG', `publish("${event}", …, { durable: true }) needs the bridge's "durable" options.`);
        const stored = await this.publisher.xadd(
          `${durable.streamPrefix}${event}`, 'MAXLEN', '~', durable.maxLen, '*',
          ...streamEntryFields(this.source, event, serializePayload(payload, channel), this.instanceId, carrier),
        );
        id = stored ?? undefined;
      }
      const receivers = await this.publisher.publish(channel, message);
      this.counters.published += 1;
      return id === undefined ? { receivers } : { receivers, id };
    } catch (cause) {
      if (cause instanceof RedisBridgeError) throw cause;
      throw new RedisBridgeError('PB_REDIS_PUBLISH_FAILED', `Publishing "${event}" on ${channel} failed: ${describeError(cause)}. Check the Redis connection; the event was not delivered.`, { cause });
    }
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

  private onMessage(channel: string, message: string): void {
    const address = parseEventChannel(channel);
    if (!address) return;
    this.counters.received += 1;
    let payload: EventPayload;
    try {
      payload = parsePayload(message, channel);
    } catch (err) {
      this.counters.dropped += 1;
      const reason = describeError(err);
      this.logger.warn({ channel, message: message.length > 200 ? `${message.slice(0, 200)}…` : message, error: reason }, 'dropped an event that is not a JSON object');
      this.emitStatus({ type: 'dropped', channel, reason });
      return;
    }
    const marks = takeMarks(payload, this.originField);
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
      own: origin === this.instanceId,
    };
    for (const key of [address.name, '*']) {
      for (const handler of this.handlers.get(key) ?? []) this.runHandler(handler, event);
    }
    if (event.own) return;
    for (const rule of this.raiseRules) {
      if (!rule.durable && rule.event === event.name && sourceMatches(rule.source, event.source)) this.keep(this.raise(rule, event, rule.policy));
    }
  }

  private runHandler(handler: EventHandler, event: BridgeEvent): void {
    const failed = (err: unknown): void => {
      this.counters.handlerFailed += 1;
      this.logger.error({ source: event.source, event: event.name, error: describeError(err) }, 'event handler failed');
    };
    try {
      const r = handler(event, { signal: this.shutdown.signal });
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
  private async raise(rule: RaiseRuleFor<string, readonly unknown[]>, event: BridgeEvent, policy: ErrorPolicy | undefined, rethrow = false): Promise<void> {
    const bus = this.bus;
    if (!bus) return;
    this.counters.raised += 1;
    try {
      const args = rule.args(event.payload, event);
      const options = { signal: this.shutdown.signal, ...(policy === undefined ? {} : { policy }) };
      await this.raising.run({ hook: rule.hook }, () => bus.invokeByName(rule.hook, args, options));
      this.emitStatus({ type: 'raised', hook: rule.hook, event });
    } catch (error) {
      this.counters.raiseFailed += 1;
      this.logger.error({ hook: rule.hook, source: event.source, event: event.name, id: event.id, error: describeError(error) }, 'raising a Redis event into a local hook failed');
      this.emitStatus({ type: 'raised', hook: rule.hook, event, error });
      if (rethrow) throw error;
    }
  }

  private async raiseDurable(rule: RaiseRuleFor<string, readonly unknown[]>, event: DurableEvent): Promise<void> {
    // Our own durable event already ran its hook locally.
    if (event.own || !sourceMatches(rule.source, event.source)) return;
    await this.raise(rule, event, rule.policy ?? 'aggregate', true);
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
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    // The consumer already disconnected its blocking connection; disconnecting twice would leave ioredis' 2 s destroy timer behind.
    await Promise.all([this.publisher, this.subscriber].map((c) => (c ? closeConnection(c) : undefined)));
  }
}

function sourceMatches(filter: RaiseRuleFor<string, readonly unknown[]>['source'], source: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'function' ? filter(source) : filter === source;
}

