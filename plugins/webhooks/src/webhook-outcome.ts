import { PermanentDeliveryError, RetryableDeliveryError, type DeliveryReceipt } from '@plugboard/outbox';
import { classifyResponse } from './classify';
import { AddressRefusedError, WebhookError } from './errors';
import { TransportError, type PostResponse } from './http-client';
import type { WebhookLogger } from './webhook-types';

/**
 * Sends one request, turning a refused address or a bad request into a dead letter and a
 * transport failure into a retry.
 */
export async function requestOnce(send: () => Promise<PostResponse>, target: string): Promise<PostResponse> {
  try {
    return await send();
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    if (cause instanceof AddressRefusedError || (cause instanceof WebhookError && !(cause instanceof TransportError))) {
      throw new PermanentDeliveryError(`Webhook to ${target} refused: ${why}`, { cause });
    }
    throw new RetryableDeliveryError(`Webhook to ${target} failed: ${why}`, { cause });
  }
}

/**
 * The outbox's verdict on an answer: a receipt for a 2xx, a retry for 5xx/429/timeouts, and for a
 * 410 Gone the target disabled (awaited, so every process skips it) and a dead letter.
 */
export async function outcomeOf(res: PostResponse, safeUrl: string, target: string, disable: (reason: string) => Promise<unknown> | void, logger: WebhookLogger): Promise<DeliveryReceipt> {
  const verdict = classifyResponse(res, safeUrl);
  switch (verdict.kind) {
    case 'delivered':
      return { statusCode: verdict.status, detail: `${target} answered ${verdict.status}` };
    case 'retry':
      throw new RetryableDeliveryError(`Webhook to ${target}: ${verdict.reason}.`, {
        statusCode: verdict.status,
        ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
      });
    case 'gone': {
      const reason = `${verdict.reason} (${new Date().toISOString()})`;
      await disable(reason);
      logger.warn({ target, url: safeUrl, statusCode: 410 }, `Webhook ${target} disabled: the receiver answered 410 Gone. Fix the URL and enable it again.`);
      throw new PermanentDeliveryError(`Webhook ${target} disabled: ${verdict.reason}. Fix the URL, enable it and retry.`, { statusCode: 410 });
    }
    case 'permanent':
      throw new PermanentDeliveryError(`Webhook to ${target}: ${verdict.reason}.`, { statusCode: verdict.status });
  }
}
