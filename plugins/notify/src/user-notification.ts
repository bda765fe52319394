import { inject, injectable, optional } from 'inversify';
import type { ActionSpec, EventContext, HandlerOutcome, OptionSpec, OptionValues } from '@plugboard/core';
import { BaseHandlerModule, type RuleEventFacts, type RuleIssue, type TagDoc, type TagProvider } from '@plugboard/rules';
import { notificationSaveIssues } from './save-checks';
import { NotifyError } from './errors';
import type { MailPayload } from './mail-delivery';
import { NotifyDelivery } from './notify-delivery';
import {
  NOTIFY_TYPE,
  RECIPIENT_DIRECTORY,
  isPlainAddress,
  recipientOf,
  splitList,
  type NotifyType,
  type Recipient,
  type RecipientDirectory,
} from './recipients';
import type { SmsPayload } from './sms-gateway';
import { enqueueOptions, outcomeDetail } from './notification-outcome';
import { NOTIFICATION_TAG_DOCS, NOTIFY_SETTINGS, notificationTags, type NotifySettings } from './notification-tags';
import { renderTemplate } from './template';
import { listOption, optionText, recipientType, requiredOption } from './notification-options';

/** privacyIDEA's default subject. */
export const DEFAULT_SUBJECT = 'An action was performed on your token.';
/** privacyIDEA's default mail body. */
export const DEFAULT_BODY =
  'Hello {user},\n\nthe administrator {admin}@{realm} performed the action\n{action} on your token {serial}.\n\n' +
  'To check your tokens you may login to the Web UI:\n{url}\n';
/** Default SMS text. */
export const DEFAULT_SMS_BODY = 'The administrator {admin}@{realm} performed the action {action} on your token {serial}.';

const MAIL_TYPES: readonly NotifyType[] = Object.values(NOTIFY_TYPE);
const SMS_TYPES: readonly NotifyType[] = [
  NOTIFY_TYPE.TOKENOWNER,
  NOTIFY_TYPE.LOGGED_IN_USER,
  NOTIFY_TYPE.ADMIN_REALM,
  NOTIFY_TYPE.INTERNAL_ADMIN,
];

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

const FIXED_TAGS = NOTIFICATION_TAG_DOCS.map((t) => t.name);
const TO_ADMIN_REALM = `To ${NOTIFY_TYPE.ADMIN_REALM}`;
const TO_INTERNAL_ADMIN = `To ${NOTIFY_TYPE.INTERNAL_ADMIN}`;
const TO_EMAIL = `To ${NOTIFY_TYPE.EMAIL}`;

/**
 * privacyIDEA's UserNotification handler module: `sendmail` and `sendsms` to the token owner,
 * the logged-in user, an admin realm, internal admins or a list of addresses. Every message is
 * written to the durable outbox (one per recipient; an email list is one message to all) and delivered from there; `do` returns the
 * queued outbox ids.
 *
 * @example
 * ```ts
 * const module = new UserNotification(delivery, directory, { url: 'https://admin.example.org' });
 * await module.do('sendmail', ctx, { emailconfig: 'relay', To: 'tokenowner', subject: 'Token {serial}' });
 * // → { queued: ['…'], detail: 'queued 1 mail(s) …' }
 * ```
 */
@injectable()
export class UserNotification extends BaseHandlerModule implements TagProvider {
  readonly identifier = 'UserNotification';
  readonly description = 'This eventhandler notifies the user about actions on his tokens';

  constructor(
    @inject(NotifyDelivery) private readonly delivery: NotifyDelivery,
    @inject(RECIPIENT_DIRECTORY) @optional() private readonly directory?: RecipientDirectory,
    @inject(NOTIFY_SETTINGS) @optional() private readonly settings: NotifySettings = {},
  ) {
    super();
  }

  /** Actions and their options; config names are offered as allowed values from the store. */
  get actions(): Readonly<Record<string, ActionSpec>> {
    const recipientOptions: Record<string, OptionSpec> = {
      [TO_ADMIN_REALM]: { type: 'str', description: `The admin realm to notify (To "${NOTIFY_TYPE.ADMIN_REALM}").`, requiredWhen: { option: 'To', value: NOTIFY_TYPE.ADMIN_REALM } },
      [TO_INTERNAL_ADMIN]: {
        type: 'str',
        description: `The internal admin to notify; empty notifies all internal admins (To "${NOTIFY_TYPE.INTERNAL_ADMIN}").`,
      },
    };
    return {
      sendmail: {
        description: 'Send an email to the user/token owner',
        options: {
          emailconfig: {
            type: 'str',
            required: true,
            description: 'Send notification email via this email server.',
            values: this.delivery.store.names('smtp'),
          },
          subject: { type: 'str', description: 'The subject of the mail that is sent.', default: this.settings.defaults?.subject ?? DEFAULT_SUBJECT },
          reply_to: { type: 'str', description: 'The Reply-To address of the mail.' },
          mimetype: { type: 'str', description: 'Either send the email as plain text or HTML.', values: ['plain', 'html'], default: 'plain' },
          body: { type: 'text', description: 'The body of the mail that is sent; may contain {tags}.', default: this.settings.defaults?.body ?? DEFAULT_BODY },
          To: { type: 'str', required: true, description: 'Send notification to this user.', values: MAIL_TYPES },
          ...recipientOptions,
          [TO_EMAIL]: { type: 'str', description: `Comma-separated e-mail addresses (To "${NOTIFY_TYPE.EMAIL}").`, requiredWhen: { option: 'To', value: NOTIFY_TYPE.EMAIL } },
        },
      },
      sendsms: {
        description: 'We can also notify the user with an SMS.',
        options: {
          smsconfig: {
            type: 'str',
            required: true,
            description: 'Send the user notification via a predefined SMS gateway.',
            values: this.delivery.store.names('sms'),
          },
          body: { type: 'text', description: 'This is the SMS text; may contain {tags}.', default: this.settings.defaults?.smsBody ?? DEFAULT_SMS_BODY },
          To: { type: 'str', required: true, description: 'Send notification to this user.', values: SMS_TYPES },
          ...recipientOptions,
        },
      },
    };
  }

  /** Refuses at save what `do` would refuse on every event: a `reply_to` that is not one plain address. */
  validateOption(_action: string, name: string, value: unknown): string | undefined {
    if (name === 'reply_to' && typeof value === 'string' && value.trim() !== '' && !isPlainAddress(value.trim())) return `is not a plain e-mail address: ${JSON.stringify(value)}`;
    return undefined;
  }

  /** The tags subject and body may use besides payload fields (the same for both actions). */
  templateTagsOf(): readonly TagDoc[] {
    return NOTIFICATION_TAG_DOCS;
  }

  /** Refuses at save tags the rule's events cannot fill and a token owner on events about no user. */
  validateForEvents(_action: string, options: Readonly<Record<string, unknown>>, events: readonly RuleEventFacts[]): RuleIssue[] {
    return notificationSaveIssues(options, events, FIXED_TAGS);
  }

  /**
   * Runs `sendmail` or `sendsms`: resolves the recipients, renders subject/body per recipient
   * (failing with `PB_NOTIFY_UNKNOWN_TAG` before anything is queued) and enqueues one message each,
   * all in one transaction: every recipient's message is queued, or none.
   */
  async do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    if (action === 'sendmail') return this.sendmail(ctx, options);
    if (action === 'sendsms') return this.sendsms(ctx, options);
    throw new NotifyError(
      'PB_NOTIFY_UNKNOWN_ACTION',
      `UserNotification has no action "${action}"; use "sendmail" or "sendsms".`,
    );
  }

  private async sendmail(ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    const emailconfig = requiredOption(options, 'emailconfig', 'sendmail');
    const type = recipientType(options, MAIL_TYPES, 'sendmail');
    const mimetype = str(options.mimetype ?? 'plain') || 'plain';
    if (mimetype !== 'plain' && mimetype !== 'html') {
      throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `Option "mimetype" of sendmail must be "plain" or "html", not "${mimetype}".`);
    }
    const subjectTemplate = optionText(options.subject, this.settings.defaults?.subject ?? DEFAULT_SUBJECT);
    const bodyTemplate = optionText(options.body, this.settings.defaults?.body ?? DEFAULT_BODY);
    const replyTo = str(options.reply_to).trim();
    if (replyTo !== '' && !isPlainAddress(replyTo)) {
      throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `Option "reply_to" of sendmail is not a plain e-mail address: "${replyTo}".`);
    }
    // Checked before rendering so a missing configuration is reported as such, not as a tag problem.
    this.delivery.store.getSmtp(emailconfig);

    const { accepted, skipped } = await this.recipients(type, ctx, options, 'email');
    // An email list is one message to all its addresses, as privacyIDEA sends it; everyone else gets their own.
    const groups = type === NOTIFY_TYPE.EMAIL ? [accepted] : accepted.map((a) => [a]);
    const mails: MailPayload[] = groups.map((group) => {
      const recipient = group.length === 1 ? group[0].recipient : {};
      const tags = notificationTags(ctx, recipient, this.settings);
      const to = group.map(({ recipient: r, address }) => {
        const name = [r.givenname, r.surname].filter((s) => s !== undefined && s !== '').join(' ');
        return name === '' ? { address } : { address, name };
      });
      return {
        emailconfig,
        to: to.length === 1 ? to[0] : to,
        subject: renderTemplate(subjectTemplate, tags, { singleLine: true, where: 'subject' }),
        mimetype,
        body: renderTemplate(bodyTemplate, tags, { escapeHtml: mimetype === 'html', where: 'body' }),
        ...(replyTo !== '' ? { replyTo } : {}),
      };
    });
    // All or none: a failure part-way must not leave some recipients notified and the action reported as failed.
    const queued = (await this.delivery.enqueueMails(mails.map((mail) => ({ mail, options: enqueueOptions(ctx, 'sendmail', mail) })))).map((m) => m.id);
    return { queued, detail: outcomeDetail('mail', mails.length, accepted, skipped) };
  }

  private async sendsms(ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    const smsconfig = requiredOption(options, 'smsconfig', 'sendsms');
    const type = recipientType(options, SMS_TYPES, 'sendsms');
    const bodyTemplate = optionText(options.body, this.settings.defaults?.smsBody ?? DEFAULT_SMS_BODY);
    this.delivery.store.getSms(smsconfig);

    const { accepted, skipped } = await this.recipients(type, ctx, options, 'mobile');
    const messages: SmsPayload[] = accepted.map(({ recipient, address }) => ({
      smsconfig,
      phone: address,
      message: renderTemplate(bodyTemplate, notificationTags(ctx, recipient, this.settings), { where: 'SMS body' }),
    }));
    const queued = (await this.delivery.enqueueSmsBatch(messages.map((sms) => ({ sms, options: enqueueOptions(ctx, 'sendsms', sms) })))).map((m) => m.id);
    return { queued, detail: outcomeDetail('SMS', messages.length, accepted, skipped) };
  }

  private async recipients(
    type: NotifyType,
    ctx: EventContext,
    options: OptionValues,
    via: 'email' | 'mobile',
  ): Promise<{ accepted: { recipient: Recipient; address: string }[]; skipped: string[] }> {
    const candidates = await this.candidates(type, ctx, options);
    const accepted: { recipient: Recipient; address: string }[] = [];
    const skipped: string[] = [];
    const seen = new Set<string>();
    for (const recipient of candidates) {
      const who = recipient.username ?? recipient.email ?? '(unnamed)';
      const address = (via === 'email' ? recipient.email : recipient.mobile)?.trim() ?? '';
      if (address === '') {
        skipped.push(`${who}: no ${via === 'email' ? 'e-mail address' : 'mobile number'}`);
      } else if (via === 'email' ? !isPlainAddress(address) : !/^\+?[0-9 ()./-]{3,32}$/.test(address)) {
        // A value with CR/LF or separators is refused here so it can never reach a header or the gateway.
        skipped.push(`${who}: invalid ${via === 'email' ? 'e-mail address' : 'mobile number'} ${JSON.stringify(address)}`);
      } else if (!seen.has(address.toLowerCase())) {
        seen.add(address.toLowerCase());
        accepted.push({ recipient, address });
      }
    }
    if (accepted.length === 0) {
      const why = skipped.length > 0 ? ` (${skipped.join('; ')})` : '';
      throw new NotifyError(
        'PB_NOTIFY_NO_RECIPIENT',
        `No recipient of type "${type}" with a usable ${via === 'email' ? 'e-mail address' : 'mobile number'} for event "${ctx.event}"${why}; check the "To" option and the user data.`,
      );
    }
    return { accepted, skipped };
  }

  private async candidates(type: NotifyType, ctx: EventContext, options: OptionValues): Promise<readonly Recipient[]> {
    switch (type) {
      case NOTIFY_TYPE.TOKENOWNER:
        return ctx.user === undefined ? [] : [recipientOf(ctx.user)];
      case NOTIFY_TYPE.LOGGED_IN_USER:
        return ctx.loggedInUser === undefined ? [] : [recipientOf(ctx.loggedInUser)];
      case NOTIFY_TYPE.ADMIN_REALM: {
        const realm = str(options[TO_ADMIN_REALM]).trim();
        if (realm === '') {
          throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `Option "${TO_ADMIN_REALM}" is required when To is "${NOTIFY_TYPE.ADMIN_REALM}".`);
        }
        return this.requireDirectory(type).adminRealmMembers(realm);
      }
      case NOTIFY_TYPE.INTERNAL_ADMIN: {
        const name = str(options[TO_INTERNAL_ADMIN]).trim();
        return this.requireDirectory(type).internalAdmins(name === '' ? undefined : name);
      }
      case NOTIFY_TYPE.EMAIL: {
        const list = splitList(listOption(options[TO_EMAIL]));
        if (list.length === 0) {
          throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `Option "${TO_EMAIL}" needs at least one address when To is "${NOTIFY_TYPE.EMAIL}".`);
        }
        return list.map((email) => ({ email }));
      }
    }
  }

  private requireDirectory(type: NotifyType): RecipientDirectory {
    if (this.directory === undefined) {
      throw new NotifyError(
        'PB_NOTIFY_NO_DIRECTORY',
        `Recipient type "${type}" needs a RecipientDirectory; bind one under RECIPIENT_DIRECTORY in the container.`,
      );
    }
    return this.directory;
  }
}
