import { randomUUID } from 'node:crypto';
import type { ActionSpec, EventContext, HandlerOutcome, OptionValues } from '@plugboard/core';
import type { DurableOutbox, OutboxMessage, PermanentDeliveryError, RetryableDeliveryError } from '@plugboard/outbox';
import { BaseHandlerModule } from '@plugboard/rules';
import { NotifyError } from './errors';
import { messageIdFor } from './mail-delivery';
import { isPlainAddress, splitList } from './recipients';
import { renderTemplate, singleLine } from './template';

/** Environment variables read by the email hooks (eventhooks names). */
export type EmailHookEnv = Readonly<Record<string, string | undefined>>;

/** Options shared by {@link SimpleEmailHook} and {@link AwsSesEmailHook}; each falls back to its environment variable. */
export interface EmailHookOptions {
  /** Name of the hook; also the default subject. */
  readonly name: string;
  /** Realms the hook fires for; none (default) = every call. */
  readonly realms?: readonly string[];
  /** `From` address (env `SENDER`). Required. */
  readonly sender?: string;
  /** `From` display name (env `SENDER_NAME`). */
  readonly senderName?: string;
  /** Comma-separated string (trimmed) or list (env `RECIPIENTS`). Required. */
  readonly recipients?: string | readonly string[];
  /** Subject (env `SUBJECT`); defaults to `name`. */
  readonly subject?: string;
  /** Body used when `trigger` gets no data (env `BODY_TEXT`). */
  readonly bodyText?: string;
  /** AWS SES configuration set (env `CONFIGURATION_SET`); sent as `X-SES-CONFIGURATION-SET` over SMTP. */
  readonly configurationSet?: string;
  /** Where environment variables are read; defaults to `process.env`. */
  readonly env?: EmailHookEnv;
  /** Handler-module identifier when used with the rules engine. */
  readonly identifier?: string;
  /**
   * Send through the durable outbox (channel `emailhook:<name>`) instead of directly; `trigger`
   * then resolves once the mail is queued.
   */
  readonly outbox?: DurableOutbox;
}

/** The message settings of a hook; mutable like eventhooks' `hook.email` (e.g. `hook.email.subject = '…'`). */
export interface EmailSettings {
  sender: string;
  senderName: string;
  recipients: string[];
  subject: string;
  bodyText: string;
  configurationSet?: string;
}

/** One mail as built by a hook (and stored in the outbox when one is used). */
export interface HookMail {
  readonly subject: string;
  readonly body: string;
  readonly recipients: readonly string[];
}

/** What `trigger` did. */
export type TriggerResult =
  | { readonly triggered: false; readonly reason: string }
  | { readonly triggered: true; readonly messageId: string; readonly queued?: string };

/** Data for `trigger`: a string body, or an object rendered as 2-space-indented JSON. */
export type TriggerData = string | Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;

/**
 * Reads one setting: the constructor option wins, then the (non-empty) environment variable,
 * then the default.
 */
export function setting(option: string | undefined, env: EmailHookEnv, key: string, fallback: string): string {
  if (option !== undefined) return option;
  const fromEnv = env[key];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : fallback;
}

/**
 * Renders trigger data as a mail body: strings as they are, anything else as JSON indented by 2.
 *
 * @example
 * ```ts
 * renderBody({ error: 'Weird error.' }); // '{\n  "error": "Weird error."\n}'
 * ```
 */
export function renderBody(data: unknown): string {
  return typeof data === 'string' ? data : (JSON.stringify(data, null, 2) ?? String(data));
}

/** A required setting is missing or malformed; collected and thrown together at construction. */
export class HookConfigProblems {
  private readonly problems: string[] = [];

  constructor(private readonly hook: string) {}

  add(problem: string): void {
    this.problems.push(problem);
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    throw new NotifyError(
      'PB_NOTIFY_HOOK_CONFIG',
      `${this.hook}: ${this.problems.join('; ')}. Pass the constructor option or set the environment variable.`,
    );
  }
}

/**
 * Base of the eventhooks email hooks: realms, settings from options/environment, body rendering,
 * optional outbox delivery, and the handler-module face (action `send`) for the rules engine.
 */
export abstract class EmailHook extends BaseHandlerModule {
  readonly identifier: string;
  readonly name: string;
  readonly realms: readonly string[];
  /** Message settings; may be changed after construction (eventhooks: `hook.email.subject = …`). */
  readonly email: EmailSettings;
  protected readonly outbox?: DurableOutbox;
  /** Outbox channel of this hook (`emailhook:<name>`), when an outbox is used. */
  readonly channel?: string;
  private unregisterChannel?: () => void;

  protected constructor(defaultIdentifier: string, options: EmailHookOptions, problems: HookConfigProblems) {
    super();
    const env = options.env ?? process.env;
    this.name = options.name;
    this.identifier = options.identifier ?? defaultIdentifier;
    this.realms = [...(options.realms ?? [])];
    if (typeof options.name !== 'string' || options.name.trim() === '') problems.add('missing setting "name"');

    const sender = setting(options.sender, env, 'SENDER', '').trim();
    if (sender === '') problems.add('missing setting "sender" (env SENDER)');
    else if (!isPlainAddress(sender)) problems.add(`"sender" is not a plain e-mail address: ${JSON.stringify(sender)}`);

    const recipients = splitList(options.recipients ?? setting(undefined, env, 'RECIPIENTS', ''));
    if (recipients.length === 0) problems.add('missing setting "recipients" (env RECIPIENTS)');
    for (const r of recipients) if (!isPlainAddress(r)) problems.add(`recipient is not a plain e-mail address: ${JSON.stringify(r)}`);

    const configurationSet = setting(options.configurationSet, env, 'CONFIGURATION_SET', '');
    this.email = {
      sender,
      senderName: singleLine(setting(options.senderName, env, 'SENDER_NAME', '')),
      recipients,
      subject: setting(options.subject, env, 'SUBJECT', '') || options.name,
      bodyText: setting(options.bodyText, env, 'BODY_TEXT', ''),
      ...(configurationSet !== '' ? { configurationSet } : {}),
    };
    problems.throwIfAny();

    if (options.outbox !== undefined) {
      this.outbox = options.outbox;
      this.channel = `emailhook:${this.name}`;
      this.unregisterChannel = this.outbox.register(this.channel, async (msg: OutboxMessage<HookMail>) => {
        try {
          const id = await this.deliver(msg.payload, messageIdFor(msg.id));
          return { detail: `accepted as ${id}` };
        } catch (e) {
          throw this.classify(e);
        }
      });
    }
  }

  /**
   * True when the hook fires for `realm`: always without configured realms; otherwise only for a
   * realm in the list (a call without realm does not fire).
   */
  firesFor(realm?: string): boolean {
    if (this.realms.length === 0) return true;
    return realm !== undefined && this.realms.includes(realm);
  }

  /**
   * Sends `data` as the mail body (string as is, object as 2-space JSON, nothing → `bodyText`),
   * if the hook fires for `realm`. Throws `PB_NOTIFY_SEND_FAILED` (cause attached) when sending fails.
   *
   * @example
   * ```ts
   * await hook.trigger('Found new tag for repo x.', 'github_tags');
   * await hook.trigger({ error: 'Weird error.', cause: 'Human factor.' });
   * ```
   */
  async trigger(data?: TriggerData, realm?: string, subject?: string): Promise<TriggerResult> {
    if (!this.firesFor(realm)) {
      return {
        triggered: false,
        reason: realm === undefined ? `no realm given; hook "${this.name}" fires only for ${this.realms.join(', ')}` : `realm "${realm}" is not one of ${this.realms.join(', ')}`,
      };
    }
    const mail: HookMail = {
      subject: singleLine(subject ?? this.email.subject),
      body: data === undefined || data === null ? this.email.bodyText : renderBody(data),
      recipients: [...this.email.recipients],
    };
    if (this.outbox !== undefined && this.channel !== undefined) {
      const msg = await this.outbox.enqueue(this.channel, mail);
      return { triggered: true, messageId: messageIdFor(msg.id), queued: msg.id };
    }
    const messageId = `<${randomUUID()}@plugboard>`;
    try {
      return { triggered: true, messageId: await this.deliver(mail, messageId) };
    } catch (e) {
      const classified = this.classify(e);
      throw new NotifyError('PB_NOTIFY_SEND_FAILED', `${this.constructor.name} "${this.name}" could not send: ${classified.message}`, {
        cause: classified,
      });
    }
  }

  /** Handler-module face: action `send`. */
  get actions(): Readonly<Record<string, ActionSpec>> {
    return {
      send: {
        description: `Send an e-mail through ${this.constructor.name} "${this.name}" (fires only for its realms).`,
        options: {
          subject: { type: 'str', description: 'Subject; defaults to the hook subject. May contain payload tags like {serial}.' },
          body: { type: 'text', description: 'Body template with payload tags; defaults to the event payload as indented JSON.' },
        },
      },
    };
  }

  /** Runs action `send` with the event's realm; the body defaults to the payload as JSON. */
  async do(action: string, ctx: EventContext, options: OptionValues): Promise<HandlerOutcome> {
    if (action !== 'send') {
      throw new NotifyError('PB_NOTIFY_UNKNOWN_ACTION', `${this.identifier} has no action "${action}"; use "send".`);
    }
    const tags = { ...ctx.payload, event: ctx.event };
    const bodyOption = typeof options.body === 'string' && options.body !== '' ? options.body : undefined;
    const subjectOption = typeof options.subject === 'string' && options.subject !== '' ? options.subject : undefined;
    const body = bodyOption === undefined ? ctx.payload : renderTemplate(bodyOption, tags, { where: 'body' });
    const subject = subjectOption === undefined ? undefined : renderTemplate(subjectOption, tags, { where: 'subject', singleLine: true });
    const result = await this.trigger(body, ctx.realm, subject);
    if (!result.triggered) return { detail: `not triggered: ${result.reason}` };
    return {
      detail: `sent ${result.messageId} to ${this.email.recipients.join(', ')}`,
      ...(result.queued !== undefined ? { queued: [result.queued] } : {}),
    };
  }

  /**
   * Stops delivering this hook's outbox channel in this process, so a replacement hook of the
   * same name can register it; queued mail stays pending (nothing is lost) until one does.
   *
   * @example
   * ```ts
   * old.detach(); old.close();
   * const replacement = new SimpleEmailHook({ ...options, outbox }); // takes over emailhook:<name>
   * ```
   */
  detach(): void {
    const unregister = this.unregisterChannel;
    this.unregisterChannel = undefined;
    unregister?.();
  }

  /** Releases connections held by the hook. */
  abstract close(): void;

  /** Sends one mail with the given Message-ID; resolves with the id the server reported. */
  protected abstract deliver(mail: HookMail, messageId: string): Promise<string>;

  /** Maps a send failure to a permanent or retryable outbox error. */
  protected abstract classify(err: unknown): PermanentDeliveryError | RetryableDeliveryError;
}
