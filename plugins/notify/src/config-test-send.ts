import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { NotifyError } from './errors';
import { isPlainAddress } from './recipients';
import { sendSms } from './sms-gateway';
import type { SmsGatewayConfig } from './sms-gateway-config';
import type { SmtpConfig } from './smtp-config';
import { smtpTransportOptions } from './smtp-transports';

/** What a test send got back: the server's or gateway's answer and how long it took. */
export interface TestSendResult {
  readonly ok: true;
  /** The SMTP server's final answer (`250 …`) or the gateway's status and body excerpt. */
  readonly detail: string;
  readonly durationMs: number;
}

/** A phone number in E.164 (`+491701234567`), as gateways expect it. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Sends one test mail through `config` now — a fresh connection, not the pool, not the outbox —
 * so an operator sees at once whether the settings work. Rejects with `PB_NOTIFY_TEST_FAILED`
 * carrying the server's answer (or why it could not be reached), `PB_NOTIFY_INVALID_OPTION` for
 * a recipient that is not an address.
 *
 * @example
 * ```ts
 * const { detail } = await testSmtpConfig(store.getSmtp('relay'), 'ops@example.org'); // "250 OK: queued"
 * ```
 */
export async function testSmtpConfig(config: SmtpConfig, to: string): Promise<TestSendResult> {
  if (!isPlainAddress(to)) throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `"${to}" is not an email address; give the address the test mail should go to.`);
  const options: SMTPTransport.Options = { ...smtpTransportOptions(config), pool: false } as SMTPTransport.Options;
  const transport = nodemailer.createTransport(options);
  const started = performance.now();
  try {
    const info = await transport.sendMail({
      from: config.senderName === '' ? config.sender : { name: config.senderName, address: config.sender },
      to,
      subject: `Plugboard test message from SMTP configuration "${config.name}"`,
      text: `This message was sent from the admin page to check the SMTP configuration "${config.name}" (${config.host}:${config.port}). No action is needed.`,
    });
    return { ok: true, detail: info.response, durationMs: performance.now() - started };
  } catch (e) {
    const where = `${config.host}:${config.port}`;
    throw new NotifyError('PB_NOTIFY_TEST_FAILED', `The test mail through SMTP configuration "${config.name}" (${where}) failed: ${reasonOf(e)}. Check host, port, security and credentials, then test again.`, { cause: e });
  } finally {
    transport.close();
  }
}

/**
 * Sends one test SMS through the gateway `config` now (not through the outbox). Rejects with
 * `PB_NOTIFY_TEST_FAILED` carrying the gateway's status and answer, `PB_NOTIFY_INVALID_OPTION`
 * for a number that is not E.164.
 *
 * @example
 * ```ts
 * await testSmsGateway(store.getSms('gw'), '+491701234567');
 * ```
 */
export async function testSmsGateway(config: SmsGatewayConfig, to: string): Promise<TestSendResult> {
  if (!E164.test(to)) throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `"${to}" is not a mobile number in E.164 form (e.g. +491701234567).`);
  const started = performance.now();
  try {
    const receipt = await sendSms(config, to, `Plugboard test message from SMS gateway "${config.name}"`);
    const status = receipt.statusCode !== undefined ? `${receipt.statusCode} ` : '';
    return { ok: true, detail: `${status}${receipt.detail ?? ''}`.trim(), durationMs: performance.now() - started };
  } catch (e) {
    throw new NotifyError('PB_NOTIFY_TEST_FAILED', `The test SMS through ${reasonOf(e).startsWith('SMS gateway') ? '' : `SMS gateway "${config.name}": `}${reasonOf(e)}. Check the URL, parameters and credentials, then test again.`, { cause: e });
  }
}
