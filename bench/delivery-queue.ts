/**
 * The delivery half of the mail benchmark's outbox sketches: hands messages to their channel's
 * deliverer in order, at most `maxInFlight` at a time, and keeps what failed in `failures`. Unlike
 * the Outbox it has no retries and no attempt time limit: the sketches measure the success path.
 */
import type { Deliverer, DeliveryReceipt, OutboxMessage } from '@plugboard/outbox';

/** Called after each successful delivery, with when its attempt started (ms since the epoch). */
export type OnDelivered = (message: OutboxMessage, receipt: DeliveryReceipt | undefined, startedAt: number) => void;

export class DeliveryQueue {
  private readonly deliverers = new Map<string, Deliverer>();
  private readonly waiting: OutboxMessage[] = [];
  private head = 0;
  private busy = 0;
  /** Never aborted: the sketches leave out the per-attempt timeout the real outbox arms. */
  private readonly neverAborted = new AbortController().signal;
  /** Deliveries that threw: a run with failures would not measure the path. */
  readonly failures: unknown[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly onDelivered: OnDelivered = () => undefined,
  ) {}

  register(channel: string, deliverer: Deliverer): () => void {
    this.deliverers.set(channel, deliverer);
    return () => this.deliverers.delete(channel);
  }

  has(channel: string): boolean {
    return this.deliverers.has(channel);
  }

  push(message: OutboxMessage): void {
    this.waiting.push(message);
    this.pump();
  }

  private pump(): void {
    while (this.busy < this.maxInFlight && this.head < this.waiting.length) {
      const message = this.waiting[this.head];
      this.head += 1;
      this.busy += 1;
      void this.deliver(message);
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const startedAt = Date.now();
    try {
      const deliverer = this.deliverers.get(message.channel);
      if (deliverer === undefined) throw new Error(`DeliveryQueue: no deliverer for channel "${message.channel}"`);
      const receipt = await deliverer(message, this.neverAborted);
      this.onDelivered(message, receipt ?? undefined, startedAt);
    } catch (error) {
      this.failures.push(error);
    } finally {
      this.busy -= 1;
      this.pump();
    }
  }
}
