import type { EnqueueOptions, Outbox, OutboxMessage } from '@plugboard/outbox';
import type { NotifyConfigStore } from './config-store';
import { SMTP_CHANNEL, createMailDeliverer, type MailPayload } from './mail-delivery';
import { SMS_CHANNEL, createSmsDeliverer, type SmsPayload } from './sms-gateway';
import { SmtpTransportCache } from './smtp-transports';

/** Options of {@link NotifyDelivery}. */
export interface NotifyDeliveryOptions {
  readonly outbox: Outbox;
  readonly store: NotifyConfigStore;
}

/**
 * Wires mail and SMS into the durable outbox: registers the `smtp` and `sms` deliverers and
 * enqueues messages. Register it in the DI container (class itself is the service id) so
 * {@link UserNotification} can inject it.
 *
 * @example
 * ```ts
 * const delivery = new NotifyDelivery({ outbox, store });
 * container.bind(NotifyDelivery).toConstantValue(delivery);
 * outbox.start();
 * // … on shutdown:
 * await outbox.stop(); delivery.close();
 * ```
 */
export class NotifyDelivery {
  readonly store: NotifyConfigStore;
  readonly outbox: Outbox;
  /** Pooled SMTP transports, one per configuration. */
  readonly transports: SmtpTransportCache;

  constructor(options: NotifyDeliveryOptions) {
    this.store = options.store;
    this.outbox = options.outbox;
    this.transports = new SmtpTransportCache(options.store);
    this.outbox.register(SMTP_CHANNEL, createMailDeliverer(this.transports));
    this.outbox.register(SMS_CHANNEL, createSmsDeliverer(options.store));
  }

  /** Writes a mail to the outbox (after checking its configuration exists); returns the stored message. */
  enqueueMail(mail: MailPayload, options: EnqueueOptions = {}): OutboxMessage<MailPayload> {
    this.store.getSmtp(mail.emailconfig);
    return this.outbox.enqueue(SMTP_CHANNEL, mail, options);
  }

  /** Writes an SMS to the outbox (after checking its configuration exists); returns the stored message. */
  enqueueSms(sms: SmsPayload, options: EnqueueOptions = {}): OutboxMessage<SmsPayload> {
    this.store.getSms(sms.smsconfig);
    return this.outbox.enqueue(SMS_CHANNEL, sms, options);
  }

  /**
   * Runs `enqueue` in one transaction of the outbox's database: the messages it enqueues are
   * stored together or not at all, with one commit instead of one each. Inside a transaction the
   * host already holds on that connection, it runs as a savepoint of it.
   *
   * @example
   * ```ts
   * const ids = delivery.atomically(() => mails.map((mail) => delivery.enqueueMail(mail).id));
   * ```
   */
  atomically<T>(enqueue: () => T): T {
    return this.outbox.db.transaction(enqueue)();
  }

  /** Closes the pooled SMTP transports; stop the outbox first so no delivery is in flight. */
  close(): void {
    this.transports.close();
  }
}
