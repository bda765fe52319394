import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { PermanentDeliveryError, RetryableDeliveryError } from '@plugboard/outbox';
import { EmailHook, HookConfigProblems, setting, type EmailHookOptions, type HookMail } from './email-hook';
import { classifySmtpError } from './mail-delivery';

/** Options of {@link SimpleEmailHook}; each falls back to its eventhooks environment variable. */
export interface SimpleEmailHookOptions extends EmailHookOptions {
  /** SMTP host (env `HOST`, default `email-smtp.us-west-2.amazonaws.com`). */
  readonly host?: string;
  /** SMTP port (env `PORT`, default 587). */
  readonly port?: number;
  /** `user:password` (env `CREDENTIALS`). Required. */
  readonly credentials?: string;
  /** Refuse to send unless the server offers STARTTLS (default true; disable only for local relays/tests). */
  readonly requireTls?: boolean;
  /** Verify the server certificate (default true). */
  readonly rejectUnauthorized?: boolean;
  /** Connection, greeting and socket timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
}

/**
 * eventhooks' SimpleEmailHook: a plain-text mail over SMTP with STARTTLS and `user:password`
 * login, fired for its realms. Usable standalone or as the rules handler module `SimpleEmail`.
 *
 * @example
 * ```ts
 * const hook = new SimpleEmailHook({
 *   name: 'simple_email_event', host: 'email-smtp.eu-west-1.amazonaws.com', port: 587,
 *   credentials: 'user:password', sender: 'someone@somewhere.com', senderName: 'someone',
 *   recipients: 'me@xyz.com,you@xyz.com', realms: ['github_tags'],
 * });
 * await hook.trigger('Found new tag for repo x.', 'github_tags');
 * ```
 */
export class SimpleEmailHook extends EmailHook {
  readonly description = 'Sends a plain-text e-mail over SMTP (eventhooks SimpleEmailHook)';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly requireTls: boolean;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(options: SimpleEmailHookOptions) {
    const env = options.env ?? process.env;
    const problems = new HookConfigProblems(`SimpleEmailHook "${options.name}"`);
    const host = setting(options.host, env, 'HOST', 'email-smtp.us-west-2.amazonaws.com').trim();
    if (host === '') problems.add('missing setting "host" (env HOST)');
    const portText = options.port !== undefined ? String(options.port) : setting(undefined, env, 'PORT', '587');
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.add(`"port" must be an integer 1-65535, not ${JSON.stringify(portText)}`);
    const credentials = setting(options.credentials, env, 'CREDENTIALS', '');
    const colon = credentials.indexOf(':');
    if (credentials === '') problems.add('missing setting "credentials" (env CREDENTIALS, format user:password)');
    else if (colon <= 0) problems.add('"credentials" must have the format user:password');
    super('SimpleEmail', options, problems);

    this.host = host;
    this.port = port;
    this.user = credentials.slice(0, colon);
    this.requireTls = options.requireTls ?? true;
    this.transport = nodemailer.createTransport({
      host,
      port,
      secure: false,
      requireTLS: this.requireTls,
      auth: { user: this.user, pass: credentials.slice(colon + 1) },
      tls: { rejectUnauthorized: options.rejectUnauthorized ?? true },
      connectionTimeout: options.timeoutMs ?? 30_000,
      greetingTimeout: options.timeoutMs ?? 30_000,
      socketTimeout: options.timeoutMs ?? 30_000,
    });
  }

  /** Closes the transport. */
  close(): void {
    this.transport.close();
  }

  protected async deliver(mail: HookMail, messageId: string): Promise<string> {
    const info = await this.transport.sendMail({
      from: this.email.senderName === '' ? this.email.sender : { name: this.email.senderName, address: this.email.sender },
      to: [...mail.recipients],
      subject: mail.subject,
      text: mail.body,
      messageId,
      ...(this.email.configurationSet !== undefined ? { headers: { 'X-SES-CONFIGURATION-SET': this.email.configurationSet } } : {}),
    });
    return info.messageId;
  }

  protected classify(err: unknown): PermanentDeliveryError | RetryableDeliveryError {
    return classifySmtpError(err);
  }
}
