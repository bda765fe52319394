import type { DurableOutbox, EnqueueOptions, Maybe, OutboxMessage } from '@plugboard/outbox';
import type { NotifyConfigStore } from './config-store';
import { SMTP_CHANNEL, createMailDeliverer, type MailPayload } from './mail-delivery';
import { SMS_CHANNEL, createSmsDeliverer, type SmsPayload } from './sms-gateway';
import { SmtpTransportCache } from './smtp-transports';

/** Options of {@link NotifyDelivery}. */
export interface NotifyDeliveryOptions {
  readonly outbox: DurableOutbox;
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
  readonly outbox: DurableOutbox;
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
  enqueueMail(mail: MailPayload, options: EnqueueOptions = {}): Maybe<OutboxMessage<MailPayload>> {
    this.store.getSmtp(mail.emailconfig);
    return this.outbox.enqueue(SMTP_CHANNEL, mail, options);
  }

  /** Writes an SMS to the outbox (after checking its configuration exists); returns the stored message. */
  enqueueSms(sms: SmsPayload, options: EnqueueOptions = {}): Maybe<OutboxMessage<SmsPayload>> {
    this.store.getSms(sms.smsconfig);
    return this.outbox.enqueue(SMS_CHANNEL, sms, options);
  }

  /**
   * Writes every mail or none (one transaction), so a failure part-way never leaves some
   * recipients notified and the action reported as failed.
   *
   * @example
   * ```ts
   * const ids = (await delivery.enqueueMails(mails.map((mail) => ({ mail })))).map((m) => m.id);
   * ```
   */
  enqueueMails(mails: readonly { readonly mail: MailPayload; readonly options?: EnqueueOptions }[]): Maybe<OutboxMessage[]> {
    for (const { mail } of mails) this.store.getSmtp(mail.emailconfig);
    return this.outbox.enqueueAll(mails.map(({ mail, options }) => ({ channel: SMTP_CHANNEL, payload: mail, ...(options !== undefined ? { options } : {}) })));
  }

  /** Writes every SMS or none (one transaction); see {@link enqueueMails}. */
  enqueueSmsBatch(messages: readonly { readonly sms: SmsPayload; readonly options?: EnqueueOptions }[]): Maybe<OutboxMessage[]> {
    for (const { sms } of messages) this.store.getSms(sms.smsconfig);
    return this.outbox.enqueueAll(messages.map(({ sms, options }) => ({ channel: SMS_CHANNEL, payload: sms, ...(options !== undefined ? { options } : {}) })));
  }

  /** Closes the pooled SMTP transports; stop the outbox first so no delivery is in flight. */
  close(): void {
    this.transports.close();
  }
}
