/**
 * An Outbox that stores nothing: `enqueue` hands the message straight to the channel's deliverer,
 * at most `concurrency` at a time, first in first out. It is not a product feature. The mail
 * benchmark runs the production rules → UserNotification → NotifyDelivery → nodemailer path
 * through it to measure what that path costs without any outbox storage: the ceiling that no
 * durable outbox, on this thread or another, can exceed.
 */
import { Outbox, type Deliverer, type EnqueueOptions, type OutboxMessage } from '@plugboard/outbox';
import { pendingMessage } from './pending-message';

interface Queued {
  readonly deliverer: Deliverer;
  readonly message: OutboxMessage;
}

export class StorelessOutbox extends Outbox {
  // Field names differ from the Outbox's private ones, which TypeScript does not let a subclass reuse.
  private readonly directDeliverers = new Map<string, Deliverer>();
  private readonly waiting: Queued[] = [];
  private waitingHead = 0;
  private busy = 0;
  /** Never aborted: the ceiling leaves out the per-attempt timeout the real outbox arms. */
  private readonly neverAborted = new AbortController().signal;
  /** Deliveries that threw: a ceiling run with failures would not measure the path. */
  readonly failures: unknown[] = [];

  constructor(private readonly maxInFlight: number) {
    // The base class only provides the connection the rules and notify stores share.
    super({ database: ':memory:' });
  }

  override register<P = unknown>(channel: string, deliverer: Deliverer<P>): () => void {
    this.directDeliverers.set(channel, deliverer as Deliverer);
    return super.register(channel, deliverer);
  }

  override enqueue<P>(channel: string, payload: P, options: EnqueueOptions = {}): OutboxMessage<P> {
    const deliverer = this.directDeliverers.get(channel);
    if (deliverer === undefined) throw new Error(`StorelessOutbox: no deliverer for channel "${channel}"`);
    const message = pendingMessage(channel, payload, options);
    this.waiting.push({ deliverer, message });
    this.pump();
    return message;
  }

  private pump(): void {
    while (this.busy < this.maxInFlight && this.waitingHead < this.waiting.length) {
      const { deliverer, message } = this.waiting[this.waitingHead];
      this.waitingHead += 1;
      this.busy += 1;
      Promise.resolve()
        .then(() => deliverer(message, this.neverAborted))
        .catch((error: unknown) => this.failures.push(error))
        .finally(() => {
          this.busy -= 1;
          this.pump();
        });
    }
    if (this.waitingHead === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    }
  }
}
