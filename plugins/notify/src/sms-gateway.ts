import { PermanentDeliveryError, RetryableDeliveryError, type Deliverer, type DeliveryReceipt } from '@plugboard/outbox';
import type { NotifyConfigStore } from './config-store';
import { NotifyError } from './errors';
import type { SmsGatewayConfig } from './sms-gateway-config';
import { singleLine } from './template';
import { markDestination } from './delivery-span';

/** Outbox channel of SMS. */
export const SMS_CHANNEL = 'sms';

/** An SMS as stored in the outbox (one message per recipient). */
export interface SmsPayload {
  /** Name of the SMS gateway configuration. */
  readonly smsconfig: string;
  readonly phone: string;
  readonly message: string;
}

function fill(template: string, values: { phone: string; message: string }, encode: (s: string) => string): string {
  return template.replace(/\{(phone|message)\}/g, (_m, key: 'phone' | 'message') => encode(values[key]));
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Sends one SMS through an HTTP gateway (Node's `fetch`) and checks the answer: success when the
 * status lies in the configured range and the body matches `success.bodyRegex` (if set).
 * Throws {@link PermanentDeliveryError} for 4xx (except 408/429) and for a body that fails the
 * check, {@link RetryableDeliveryError} for 5xx, 408, 429, timeouts and connection errors.
 *
 * @example
 * ```ts
 * await sendSms(store.getSms('gw'), '+4912345', 'Your token was enrolled');
 * ```
 */
export async function sendSms(
  config: SmsGatewayConfig,
  phone: string,
  message: string,
  signal?: AbortSignal,
): Promise<DeliveryReceipt> {
  const values = { phone, message };
  const url = new URL(fill(config.url, values, encodeURIComponent));
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.parameters)) params[k] = fill(v, values, (s) => s);
  const headers: Record<string, string> = { ...config.headers };
  let body: string | undefined;
  if (config.method === 'GET') {
    for (const [k, v] of Object.entries(params)) url.searchParams.append(k, v);
  } else if (config.bodyFormat === 'json') {
    body = JSON.stringify(params);
    headers['content-type'] ??= 'application/json';
  } else {
    body = new URLSearchParams(params).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: config.method, headers, body, signal: combined, redirect: 'manual' });
    text = await response.text();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
    throw new RetryableDeliveryError(`SMS gateway "${config.name}" unreachable: ${why}${cause}`, { cause: e });
  }
  const status = response.status;
  const excerpt = singleLine(text.slice(0, 200));
  const inRange = status >= config.success.statusMin && status <= config.success.statusMax;
  if (inRange) {
    if (config.success.bodyRegex !== undefined && !new RegExp(config.success.bodyRegex).test(text)) {
      throw new PermanentDeliveryError(
        `SMS gateway "${config.name}" answered ${status} but the body does not match the success pattern: ${excerpt}`,
        { statusCode: status },
      );
    }
    return { statusCode: status, detail: excerpt };
  }
  if (isRetryableStatus(status)) {
    const after = retryAfterMs(response.headers.get('retry-after'));
    throw new RetryableDeliveryError(`SMS gateway "${config.name}" answered ${status}: ${excerpt}`, {
      statusCode: status,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    });
  }
  throw new PermanentDeliveryError(`SMS gateway "${config.name}" refused the message with ${status}: ${excerpt}`, {
    statusCode: status,
  });
}

/**
 * The outbox deliverer of the `sms` channel: reads the named gateway configuration at delivery
 * time and sends with {@link sendSms}. A deleted configuration is a permanent failure.
 *
 * @example
 * ```ts
 * outbox.register(SMS_CHANNEL, createSmsDeliverer(store));
 * ```
 */
export function createSmsDeliverer(store: NotifyConfigStore): Deliverer<SmsPayload> {
  return async (msg, signal) => {
    let config: SmsGatewayConfig;
    try {
      config = store.getSms(msg.payload.smsconfig);
    } catch (e) {
      if (e instanceof NotifyError && e.code === 'PB_NOTIFY_CONFIG_NOT_FOUND') throw new PermanentDeliveryError(e.message, { cause: e });
      throw e;
    }
    markDestination({ config: msg.payload.smsconfig, url: config.url });
    return sendSms(config, msg.payload.phone, msg.payload.message, signal);
  };
}
