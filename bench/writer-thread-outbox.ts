/**
 * A measurement sketch, not a product feature: an Outbox whose SQLite work runs on a writer
 * thread with its own connection to the same file. The event-loop thread only sends rows over and
 * delivers; the writer stores each batch in one transaction (claimed at insert, so no separate
 * claim), acknowledges it, and records delivered outcomes in batches. It measures what taking the
 * outbox's SQLite work off the event loop could reach while each message is still durable before
 * its rule's action returns (see {@link awaitingCommits}). Left out, because they only add cost:
 * retries, dead letters, attempt time limits, lease takeover and events. A failed delivery is kept
 * in `failures`.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HandlerModule } from '@plugboard/core';
import { Outbox, type Deliverer, type EnqueueOptions, type OutboxMessage } from '@plugboard/outbox';
import { DeliveryQueue } from './delivery-queue';
import { pendingMessage } from './pending-message';

/** A message as the writer stores it. */
export interface WriterRow {
  readonly id: string;
  readonly channel: string;
  readonly payload: string;
  readonly meta: string | null;
  readonly dedupeKey: string | null;
}

/** A delivered message as the writer records it. */
export interface WriterOutcome {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly detail: string | null;
}

export type ToWriter =
  | { readonly type: 'store'; readonly rows: readonly WriterRow[] }
  | { readonly type: 'delivered'; readonly outcomes: readonly WriterOutcome[] }
  | { readonly type: 'sync' }
  | { readonly type: 'close' };

export type FromWriter =
  | { readonly type: 'stored'; readonly ids: readonly string[] }
  | { readonly type: 'synced' }
  | { readonly type: 'closed' };

interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
}

export class WriterThreadOutbox extends Outbox {
  // Field names differ from the Outbox's private ones, which TypeScript does not let a subclass reuse.
  private readonly writer: Worker;
  private readonly deliveries: DeliveryQueue;
  private readonly awaitingStore = new Map<string, OutboxMessage>();
  private rowsToSend: WriterRow[] = [];
  private outcomesToSend: WriterOutcome[] = [];
  private sendScheduled = false;
  private enqueuedCount = 0;
  private storedCount = 0;
  private waiters: Waiter[] = [];

  /** `database`: a file; the base class opens it and migrates the outbox schema before the writer thread opens it. */
  constructor(database: string, maxInFlight: number) {
    super({ database });
    this.deliveries = new DeliveryQueue(maxInFlight, (message, receipt, startedAt) => {
      this.outcomesToSend.push({ id: message.id, startedAt, finishedAt: Date.now(), detail: receipt?.detail ?? null });
      this.scheduleSend();
    });
    // The worker inherits this process's execArgv, so ts-node loads its TypeScript as it loads the bench.
    this.writer = new Worker(join(__dirname, 'writer-thread-outbox-worker.ts'), { workerData: { database } });
    this.writer.on('message', (m: FromWriter) => {
      if (m.type === 'stored') this.onStored(m.ids);
    });
    this.writer.on('error', (error) => this.deliveries.failures.push(error));
  }

  /** Deliveries that threw, and errors of the writer thread. */
  get failures(): readonly unknown[] {
    return this.deliveries.failures;
  }

  /** The base class's loop would claim what the writer owns: it never runs. */
  override start(): void {
    // The writer thread and onStored() deliver instead.
  }

  override register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    return this.deliveries.register(channel, deliverer as Deliverer);
  }

  override enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): OutboxMessage<P> {
    const message = pendingMessage(channel, payload, options);
    this.awaitingStore.set(message.id, message);
    this.rowsToSend.push({
      id: message.id,
      channel,
      payload: JSON.stringify(payload),
      meta: Object.keys(message.meta).length > 0 ? JSON.stringify(message.meta) : null,
      dedupeKey: options.dedupeKey ?? null,
    });
    this.enqueuedCount += 1;
    this.scheduleSend();
    return message;
  }

  /** Resolves once every message enqueued so far is committed by the writer. */
  committed(): Promise<void> {
    if (this.storedCount >= this.enqueuedCount) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo: this.enqueuedCount, resolve }));
  }

  /** Messages the writer recorded as delivered, once it has handled everything sent to it so far. */
  async deliveredCount(): Promise<number> {
    await this.roundTrip('sync', 'synced');
    return (this.db.prepare(`SELECT COUNT(*) FROM outbox_messages WHERE state = 'delivered'`).pluck().get() as number);
  }

  override async close(): Promise<void> {
    await this.roundTrip('close', 'closed');
    await this.writer.terminate();
    await super.close();
  }

  /** The writer handles messages in order: its answer means everything sent before was handled. */
  private roundTrip(type: 'sync' | 'close', answer: 'synced' | 'closed'): Promise<void> {
    const answered = new Promise<void>((resolve) => {
      const listener = (m: FromWriter): void => {
        if (m.type !== answer) return;
        this.writer.off('message', listener);
        resolve();
      };
      this.writer.on('message', listener);
    });
    this.flush();
    this.post({ type });
    return answered;
  }

  private post(message: ToWriter): void {
    this.writer.postMessage(message);
  }

  /** One message per event-loop turn, whatever was enqueued or delivered meanwhile. */
  private scheduleSend(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.sendScheduled = false;
    if (this.rowsToSend.length > 0) {
      this.post({ type: 'store', rows: this.rowsToSend });
      this.rowsToSend = [];
    }
    if (this.outcomesToSend.length > 0) {
      this.post({ type: 'delivered', outcomes: this.outcomesToSend });
      this.outcomesToSend = [];
    }
  }

  private onStored(ids: readonly string[]): void {
    this.storedCount += ids.length;
    for (const id of ids) {
      const message = this.awaitingStore.get(id);
      if (message === undefined) continue;
      this.awaitingStore.delete(id);
      this.deliveries.push(message);
    }
    const stillWaiting: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.storedCount >= w.upTo) w.resolve();
      else stillWaiting.push(w);
    }
    this.waiters = stillWaiting;
  }
}

/**
 * Wraps a handler module so its action resolves only once the messages it enqueued are
 * committed: durable before `RulesEngine.dispatch` returns, as with the synchronous outbox.
 */
export function awaitingCommits(module: HandlerModule, outbox: { committed(): Promise<void> }): HandlerModule {
  return {
    identifier: module.identifier,
    description: module.description,
    actions: module.actions,
    conditions: module.conditions,
    checkCondition: (ctx, conditions) => module.checkCondition(ctx, conditions),
    do: async (action, ctx, options) => {
      const outcome = await module.do(action, ctx, options);
      await outbox.committed();
      return outcome;
    },
  };
}
