/**
 * The production rules → UserNotification → NotifyDelivery → nodemailer path with a job queue
 * in place of Plugboard's outbox: `enqueue` adds a job to the queue, and the queue's workers run
 * the same deliverer the outbox would. With {@link awaitingCommits} around the handler module,
 * a rule's action returns only once its jobs are stored, as with the outbox.
 */
import type { Deliverer, EnqueueOptions, OutboxMessage } from '@plugboard/outbox';
import { Outbox } from '@plugboard/outbox';
import { pendingMessage } from '../pending-message';
import type { JobQueue } from './job-queue';

interface Job {
  readonly message: OutboxMessage;
}

export class JobQueueOutbox extends Outbox {
  private readonly queueDeliverers = new Map<string, Deliverer>();
  private pending: Promise<void>[] = [];
  readonly deliveryFailures: unknown[] = [];

  constructor(private readonly queue: JobQueue) {
    // The base class only provides the connection the rules and notify stores share.
    super({ database: ':memory:' });
  }

  /** Starts the queue's workers on the registered deliverers. */
  startWorkers(concurrency: number): Promise<void> {
    const signal = new AbortController().signal;
    return this.queue.start(async (data) => {
      const { message } = data as Job;
      const deliverer = this.queueDeliverers.get(message.channel);
      if (deliverer === undefined) throw new Error(`no deliverer for channel "${message.channel}"`);
      try {
        await deliverer(message, signal);
      } catch (e) {
        this.deliveryFailures.push(e);
        throw e;
      }
    }, concurrency);
  }

  /** The queue's workers deliver; the base class's polling loop has nothing to do. */
  override start(): void {}

  override register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    this.queueDeliverers.set(channel, deliverer as Deliverer);
    return () => this.queueDeliverers.delete(channel);
  }

  override enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): OutboxMessage<P> {
    const message = pendingMessage(channel, payload, options);
    this.pending.push(this.queue.add({ message }));
    return message;
  }

  /** Resolves once every job enqueued so far is stored. */
  async committed(): Promise<void> {
    const adds = this.pending;
    this.pending = [];
    await Promise.all(adds);
  }
}
