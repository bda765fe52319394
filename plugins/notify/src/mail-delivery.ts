import { PermanentDeliveryError, RetryableDeliveryError, type Deliverer, type DeliveryReceipt } from '@plugboard/outbox';
import { NotifyError } from './errors';
import type { SmtpTransportCache } from './smtp-transports';
import { singleLine } from './template';
import { markDestination } from './delivery-span';

/** Outbox channel of mail. */
export const SMTP_CHANNEL = 'smtp';

/** One addressee of a mail. */
export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

/**
 * A mail as stored in the outbox: one message per recipient, except an email list, which is one
 * message with every address in To (privacyIDEA's `msg['To'] = ",".join(recipient)`).
 */
export interface MailPayload {
  /** Name of the SMTP configuration to send through. */
  readonly emailconfig: string;
  /** One addressee (older outbox rows always have this form) or the whole email list. */
  readonly to: MailAddress | readonly MailAddress[];
  readonly subject: string;
  readonly mimetype: 'plain' | 'html';
  readonly body: string;
  readonly replyTo?: string;
}

/**
 * The stable Message-ID of an outbox message: retries of the same message carry the same id,
 * so receivers can recognise duplicates of an at-least-once delivery.
 *
 * @example
 * ```ts
 * messageIdFor('0b9c…'); // '<0b9c…@plugboard>'
 * ```
 */
export function messageIdFor(outboxId: string): string {
  return `<${outboxId}@plugboard>`;
}

function isAddressList(to: MailPayload['to']): to is readonly MailAddress[] {
  return Array.isArray(to);
}

interface SmtpErrorShape {
  readonly responseCode?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly response?: unknown;
}

/**
 * Maps a nodemailer failure to the outbox's error classes: an SMTP 5xx reply is permanent
 * (dead letter), a 4xx reply, a refused or dropped connection and timeouts are retryable.
 *
 * @example
 * ```ts
 * try { await transport.sendMail(mail); } catch (e) { throw classifySmtpError(e); }
 * ```
 */
export function classifySmtpError(err: unknown): PermanentDeliveryError | RetryableDeliveryError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpErrorShape;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // nodemailer's message names the failing step (e.g. "Error upgrading connection with STARTTLS: 500 …").
  const text = singleLine(String(typeof e.message === 'string' && e.message !== '' ? e.message : (e.response ?? err)));
  if (status !== undefined && status >= 500) {
    return new PermanentDeliveryError(`SMTP server refused the message permanently: ${text}`, { statusCode: status, cause: err });
  }
  if (status === undefined && e.code === 'EENVELOPE') {
    // nodemailer refuses an envelope without a usable recipient before talking to the server.
    return new PermanentDeliveryError(`The message has no deliverable recipient: ${text}`, { cause: err });
  }
  return new RetryableDeliveryError(`SMTP delivery failed temporarily: ${text}`, {
    ...(status !== undefined ? { statusCode: status } : {}),
    cause: err,
  });
}

/**
 * The outbox deliverer of the `smtp` channel: sends through the pooled transport of the named
 * configuration, with Message-ID `<outbox id@plugboard>`.
 *
 * @example
 * ```ts
 * outbox.register(SMTP_CHANNEL, createMailDeliverer(new SmtpTransportCache(store)));
 * ```
 */
export function createMailDeliverer(transports: SmtpTransportCache): Deliverer<MailPayload> {
  return async (message) => {
    const mail = message.payload;
    let resolved;
    try {
      resolved = transports.get(mail.emailconfig);
    } catch (e) {
      if (e instanceof NotifyError && e.code === 'PB_NOTIFY_CONFIG_NOT_FOUND') {
        throw new PermanentDeliveryError(e.message, { cause: e });
      }
      throw e;
    }
    const { transport, config } = resolved;
    markDestination({ config: mail.emailconfig, host: config.host, port: config.port, recipients: isAddressList(mail.to) ? mail.to.length : 1 });
    try {
      const info = await transport.sendMail({
        from: config.senderName === '' ? config.sender : { name: singleLine(config.senderName), address: config.sender },
        to: (isAddressList(mail.to) ? mail.to : [mail.to]).map((to) =>
          to.name === undefined || to.name === '' ? to.address : { name: singleLine(to.name), address: to.address },
        ),
        subject: singleLine(mail.subject),
        ...(mail.mimetype === 'html' ? { html: mail.body } : { text: mail.body }),
        ...(mail.replyTo !== undefined && mail.replyTo !== '' ? { replyTo: mail.replyTo } : {}),
        messageId: messageIdFor(message.id),
      });
      const receipt: DeliveryReceipt = { detail: singleLine(String(info.response ?? 'accepted')), statusCode: 250 };
      return receipt;
    } catch (e) {
      throw classifySmtpError(e);
    }
  };
}
