/**
 * An Outbox that stores nothing: `enqueue` hands the message straight to the channel's deliverer,
 * at most `concurrency` at a time, first in first out. It is not a product feature. The mail
 * benchmark runs the production rules → UserNotification → NotifyDelivery → nodemailer path
 * through it to measure what that path costs without any outbox storage: the ceiling that no
 * durable outbox, on this thread or another, can exceed.
 */
import { Outbox, type Deliverer, type EnqueueOptions, type OutboxMessage } from '@plugboard/outbox';
import { DeliveryQueue } from './delivery-queue';
import { pendingMessage } from './pending-message';

export class StorelessOutbox extends Outbox {
  // A field name the Outbox's private ones do not use, which TypeScript would not let a subclass reuse.
  private readonly direct: DeliveryQueue;

  constructor(maxInFlight: number) {
    // The base class only provides the connection the rules and notify stores share.
    super({ database: ':memory:' });
    this.direct = new DeliveryQueue(maxInFlight);
  }

  /** Deliveries that threw: a ceiling run with failures would not measure the path. */
  get failures(): readonly unknown[] {
    return this.direct.failures;
  }

  override register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    this.direct.register(channel, deliverer as Deliverer);
    return super.register(channel, deliverer);
  }

  override enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): OutboxMessage<P> {
    if (!this.direct.has(channel)) throw new Error(`StorelessOutbox: no deliverer for channel "${channel}"`);
    const message = pendingMessage(channel, payload, options);
    this.direct.push(message);
    return message;
  }
}
