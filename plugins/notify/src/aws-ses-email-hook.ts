import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PermanentDeliveryError, RetryableDeliveryError } from '@plugboard/outbox';
import { EmailHook, HookConfigProblems, setting, type EmailHookOptions, type HookMail } from './email-hook';
import { singleLine } from './template';

/** Static AWS credentials (otherwise the SDK's default provider chain is used). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Options of {@link AwsSesEmailHook}. */
export interface AwsSesEmailHookOptions extends EmailHookOptions {
  /** AWS region (env `AWS_REGION`, default `us-west-2`). */
  readonly region?: string;
  /** SES endpoint override, e.g. a VPC endpoint or a local test server. */
  readonly endpoint?: string;
  readonly awsCredentials?: AwsCredentials;
  /** SDK attempts per send (default 3; use 1 with an outbox, which retries itself). */
  readonly maxAttempts?: number;
}

// RFC 2047 keeps a non-ASCII or quote-bearing display name from breaking the From address.
function fromAddress(name: string, address: string): string {
  if (name === '') return address;
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return `"${name}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;
}

interface AwsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: unknown;
}

/**
 * eventhooks' AwsSesEmailHook: a plain-text mail through the AWS SES v2 `SendEmail` API,
 * fired for its realms. Usable standalone or as the rules handler module `AwsSesEmail`.
 *
 * @example
 * ```ts
 * const hook = new AwsSesEmailHook({
 *   name: 'aws_ses_email_event', sender: 'someone@somewhere.com', senderName: 'someone',
 *   recipients: ['me@peer.xyz'], realms: ['github_tags'], region: 'eu-west-1',
 * });
 * await hook.trigger({ error: 'Weird error.', cause: 'Human factor.' }, 'github_tags');
 * ```
 */
export class AwsSesEmailHook extends EmailHook {
  readonly description = 'Sends a plain-text e-mail through AWS SES v2 (eventhooks AwsSesEmailHook)';
  /** The SES client (exposed so hosts can share or destroy it). */
  readonly client: SESv2Client;

  constructor(options: AwsSesEmailHookOptions) {
    const env = options.env ?? process.env;
    super('AwsSesEmail', options, new HookConfigProblems(`AwsSesEmailHook "${options.name}"`));
    this.client = new SESv2Client({
      region: setting(options.region, env, 'AWS_REGION', 'us-west-2'),
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.awsCredentials !== undefined ? { credentials: { ...options.awsCredentials } } : {}),
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  /** Destroys the SES client's connections. */
  close(): void {
    this.client.destroy();
  }

  protected async deliver(mail: HookMail): Promise<string> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: fromAddress(this.email.senderName, this.email.sender),
        Destination: { ToAddresses: [...mail.recipients] },
        Content: {
          Simple: {
            Subject: { Data: singleLine(mail.subject), Charset: 'UTF-8' },
            Body: { Text: { Data: mail.body, Charset: 'UTF-8' } },
          },
        },
        ...(this.email.configurationSet !== undefined ? { ConfigurationSetName: this.email.configurationSet } : {}),
      }),
    );
    return out.MessageId ?? '';
  }

  protected classify(err: unknown): PermanentDeliveryError | RetryableDeliveryError {
    const e = (typeof err === 'object' && err !== null ? err : {}) as AwsErrorShape;
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const text = `${name}: ${singleLine(String(e.message ?? err))}`;
    const throttled = status === 429 || /Throttl|TooManyRequests/.test(name);
    if (status !== undefined && status >= 400 && status < 500 && !throttled && status !== 408) {
      return new PermanentDeliveryError(`SES refused the message: ${text}`, { statusCode: status, cause: err });
    }
    return new RetryableDeliveryError(`SES delivery failed temporarily: ${text}`, {
      ...(status !== undefined ? { statusCode: status } : {}),
      cause: err,
    });
  }
}
