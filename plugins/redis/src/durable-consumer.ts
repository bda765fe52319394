import type Redis from 'ioredis';
import type { ResolvedDurableOptions } from './durable-options';
import type { DurableEvent, DurableHandler } from './event';
import type { DurableStats } from './durable-stats';
import { describeError, type BridgeLogger } from './logger';
import { entryToEvent, type RawEntry } from './stream-entry';
import { carrierOfFields, traceConsume } from './tracing';

const HALTED = Symbol('halted');

/** What the consumer needs from the bridge that owns it. */
export interface DurableConsumerDeps {
  readonly commands: Redis;
  readonly blocking: Redis;
  readonly options: ResolvedDurableOptions;
  readonly logger: BridgeLogger;
  readonly instanceId: string;
  readonly signal: AbortSignal;
}

/**
 * The durable-mode read loop of one consumer in one group: XREADGROUP BLOCK for new
 * entries, XAUTOCLAIM for entries left pending too long (dead consumer or failed
 * handler), XACK once every handler of the entry succeeded, dead-letter after
 * `maxDeliveries`. Owned by {@link RedisEventBridge}; not constructed directly.
 */
export class DurableConsumer {
  readonly stats: DurableStats = { acked: 0, failed: 0, claimed: 0, deadLettered: 0 };
  private readonly handlers = new Map<string, Set<DurableHandler>>();
  private readonly ready = new Set<string>();
  private readonly known = new Set<string>();
  private readonly cursors = new Map<string, string>();
  private readonly lastErrors = new Map<string, string>();
  private stopping = false;
  private recoverOwn = true;
  private nextClaimAt = 0;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private halt: () => void = () => undefined;
  /** Resolves when stop() is called: every Redis await of the loop races it, since a command queued on a reconnecting connection never settles after disconnect(). */
  private readonly halted = new Promise<typeof HALTED>((resolve) => {
    this.halt = () => resolve(HALTED);
  });

  constructor(private readonly deps: DurableConsumerDeps) {
    // Entries delivered just before a dropped connection may be in our pending list with
    // their reply lost: read our own pending entries again after every reconnect.
    deps.blocking.on('ready', () => {
      this.recoverOwn = true;
    });
  }

  /** Stream key of an event name. */
  streamOf(name: string): string {
    return `${this.deps.options.streamPrefix}${name}`;
  }

  /** Adds a handler; the group is created on the event's stream before the promise resolves when running. */
  async add(name: string, handler: DurableHandler): Promise<() => void> {
    const stream = this.streamOf(name);
    let set = this.handlers.get(stream);
    if (!set) {
      set = new Set();
      this.handlers.set(stream, set);
    }
    set.add(handler);
    if (this.loop) {
      await this.ensureGroup(stream);
      this.wake?.();
    }
    return () => {
      const current = this.handlers.get(stream);
      current?.delete(handler);
      if (current && current.size === 0) this.handlers.delete(stream);
    };
  }

  /** Creates the groups of all handled streams and starts the loop. */
  async start(): Promise<void> {
    await Promise.all([...this.handlers.keys()].map((stream) => this.ensureGroup(stream)));
    this.loop = this.run();
  }

  /** Stops the loop; resolves when the current handler finished or `graceMs` passed. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.halt();
    this.wake?.();
    // Disconnecting rejects a pending XREADGROUP BLOCK at once instead of waiting blockMs.
    this.deps.blocking.disconnect();
    if (!this.loop) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private async ensureGroup(stream: string): Promise<void> {
    const { group, startId } = this.deps.options;
    // A group that existed and vanished (stream deleted, Redis restarted without persistence)
    // is recreated from the start of the new stream: everything in it is unseen by us.
    const from = this.known.has(stream) ? '0' : startId;
    try {
      await this.deps.commands.xgroup('CREATE', stream, group, from, 'MKSTREAM');
    } catch (err) {
      if (!describeError(err).startsWith('BUSYGROUP')) throw err;
    }
    this.ready.add(stream);
    this.known.add(stream);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        // Groups that could not be (re)created yet, e.g. during a reconnect: retry before reading.
        const missing = [...this.handlers.keys()].filter((s) => !this.ready.has(s));
        if (missing.length > 0 && (await this.untilStopped(Promise.all(missing.map((s) => this.ensureGroup(s))))) === null) break;
        const streams = [...this.handlers.keys()];
        if (streams.length === 0) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          continue;
        }
        if (this.recoverOwn) {
          this.recoverOwn = false;
          await this.readOwnPending(streams);
        }
        if (Date.now() >= this.nextClaimAt) {
          await this.claimIdle(streams);
          this.nextClaimAt = Date.now() + this.deps.options.claimIntervalMs;
        }
        const { group, consumer, batchSize, blockMs } = this.deps.options;
        const reply = (await this.untilStopped(
          this.deps.blocking.xreadgroup(
            'GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', blockMs,
            'STREAMS', ...streams, ...streams.map(() => '>'),
          ),
        )) as [string, RawEntry[]][] | null;
        if (reply && !this.stopping) {
          for (const [stream, entries] of reply) await this.handleBatch(stream, entries, false);
        }
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        if (describeError(err).startsWith('NOGROUP')) {
          // The stream or group vanished (Redis restarted without persistence, key deleted): recreate and go on.
          this.deps.logger.warn({ group: this.deps.options.group, error: describeError(err) }, 'durable: consumer group missing, recreating it');
          this.ready.clear();
          continue;
        }
        failures += 1;
        this.deps.logger.warn({ group: this.deps.options.group, error: describeError(err), failures }, 'durable: read loop failed, retrying');
        await this.pause(Math.min(100 * 2 ** Math.min(failures, 6), 5000));
      }
    }
  }

  /** `p`'s value, or null once the consumer is stopping. */
  private async untilStopped<V>(p: Promise<V>): Promise<V | null> {
    const v = await Promise.race([p, this.halted]);
    return v === HALTED ? null : (v as V);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Re-reads entries already delivered to this consumer name and never acknowledged. */
  private async readOwnPending(streams: string[]): Promise<void> {
    const { group, consumer, batchSize } = this.deps.options;
    for (const stream of streams) {
      let after = '0';
      while (!this.stopping) {
        const reply = (await this.untilStopped(this.deps.commands.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'STREAMS', stream, after))) as
          | [string, RawEntry[]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) break;
        await this.handleBatch(stream, entries, true);
        after = entries[entries.length - 1]?.[0] ?? after;
      }
    }
  }

  /** Takes over entries pending longer than claimIdleMs, whoever holds them. */
  private async claimIdle(streams: string[]): Promise<void> {
    const { group, consumer, batchSize, claimIdleMs } = this.deps.options;
    for (const stream of streams) {
      // One pass over the pending list per interval, resumed from the last cursor.
      for (let round = 0; round < 10 && !this.stopping; round++) {
        const cursor = this.cursors.get(stream) ?? '0-0';
        const reply = (await this.untilStopped(this.deps.commands.xautoclaim(stream, group, consumer, claimIdleMs, cursor, 'COUNT', batchSize))) as
          | [string, RawEntry[], string[]?]
          | null;
        if (!reply) return;
        const [next, entries] = reply;
        this.cursors.set(stream, next);
        const live = entries.filter((e) => e !== null);
        this.stats.claimed += live.length;
        if (live.length > 0) await this.handleBatch(stream, live, true);
        if (next === '0-0') break;
      }
    }
  }

  /** Delivery counts of entries now owned by this consumer. */
  private async deliveryCounts(stream: string, entries: RawEntry[]): Promise<Map<string, number>> {
    const { group, consumer } = this.deps.options;
    const first = entries[0]?.[0];
    const last = entries[entries.length - 1]?.[0];
    const counts = new Map<string, number>();
    if (first === undefined || last === undefined) return counts;
    const rows = (await this.untilStopped(this.deps.commands.xpending(stream, group, first, last, entries.length, consumer))) as
      | [string, string, number, number][]
      | null;
    for (const [id, , , count] of rows ?? []) counts.set(id, count);
    return counts;
  }

  private async handleBatch(stream: string, entries: RawEntry[], redelivered: boolean): Promise<void> {
    const counts = redelivered ? await this.deliveryCounts(stream, entries) : undefined;
    const acks: Promise<unknown>[] = [];
    for (const [id, fields] of entries) {
      if (this.stopping) break;
      const deliveries = counts?.get(id) ?? 1;
      if (fields === null) {
        // Trimmed by MAXLEN while pending: nothing left to deliver.
        acks.push(this.deps.commands.xack(stream, this.deps.options.group, id));
        continue;
      }
      await this.handleEntry(stream, id, fields, deliveries, acks);
    }
    // Acks were pipelined behind the handlers; a lost ack only means one more delivery.
    const settled = await this.untilStopped(Promise.allSettled(acks));
    if (settled === null) return;
    for (const s of settled) {
      if (s.status === 'rejected') this.deps.logger.warn({ stream, error: describeError(s.reason) }, 'durable: XACK failed; the entry will be delivered again');
    }
  }

  /** Runs the handlers of one entry; pushes its XACK (or dead-letter) to `acks` when it is done with. */
  private async handleEntry(stream: string, id: string, fields: string[], deliveries: number, acks: Promise<unknown>[]): Promise<void> {
    const { group, maxDeliveries } = this.deps.options;
    const key = `${stream} ${id}`;
    let event: DurableEvent;
    try {
      event = entryToEvent(stream, id, fields, deliveries, this.deps.options.streamPrefix, this.deps.instanceId);
    } catch (err) {
      // A malformed entry can never succeed: park it at once.
      acks.push(this.deadLetter(stream, id, fields, deliveries, describeError(err)));
      return;
    }
    if (deliveries > maxDeliveries) {
      acks.push(this.deadLetter(stream, id, fields, deliveries - 1, this.lastErrors.get(key) ?? 'handler failed or consumer died'));
      return;
    }
    const handlers = [...(this.handlers.get(stream) ?? [])];
    const attributes = { 'messaging.operation.name': 'xreadgroup', 'messaging.message.id': id, 'messaging.consumer.group.name': group, 'plugboard.redis.deliveries': deliveries };
    const results = await traceConsume(stream, carrierOfFields(fields), attributes, () => Promise.allSettled(handlers.map(async (h) => h(event, { signal: this.deps.signal }))));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (errors.length === 0) {
      this.lastErrors.delete(key);
      if (this.stopping && this.deps.commands.status !== 'ready') return;
      acks.push(
        this.deps.commands.xack(stream, group, id).then((n) => {
          this.stats.acked += n;
          return n;
        }),
      );
      return;
    }
    this.stats.failed += 1;
    const message = errors.map(describeError).join('; ');
    this.lastErrors.set(key, message);
    this.deps.logger.warn(
      { stream, id, event: event.name, deliveries, maxDeliveries, error: message },
      'durable: handler failed; the entry stays pending and will be retried after claimIdleMs',
    );
  }

  private deadLetter(stream: string, id: string, fields: string[], deliveries: number, error: string): Promise<unknown> {
    const { group, deadLetterStream, maxLen } = this.deps.options;
    this.stats.deadLettered += 1;
    this.lastErrors.delete(`${stream} ${id}`);
    this.deps.logger.error({ stream, id, group, deliveries, error, deadLetterStream }, 'durable: entry moved to the dead-letter stream');
    // MULTI so the entry is never both acknowledged and missing from the dead-letter stream.
    return this.deps.commands
      .multi()
      .xadd(deadLetterStream, 'MAXLEN', '~', maxLen, '*', ...fields, 'stream', stream, 'entry', id, 'group', group, 'deliveries', String(deliveries), 'error', error)
      .xack(stream, group, id)
      .exec();
  }
}
