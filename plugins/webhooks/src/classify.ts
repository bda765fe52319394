import type { PostResponse } from './http-client';

/** How one HTTP answer is treated. */
export type ResponseVerdict =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number; readonly retryAfterMs?: number; readonly reason: string }
  | { readonly kind: 'permanent'; readonly status: number; readonly reason: string }
  | { readonly kind: 'gone'; readonly status: 410; readonly reason: string };

/**
 * Parses `Retry-After` (delay in seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable; a date in the past gives 0.
 *
 * @example
 * ```ts
 * parseRetryAfter('3');                                  // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now); // ms until then
 * ```
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Classifies a receiver's answer: 2xx delivered; 5xx and 429 retried (honouring
 * `Retry-After`); 410 Gone disables the endpoint; a redirect that was not followed and
 * every other status are permanent.
 */
export function classifyResponse(res: PostResponse, safeUrl: string, now: number = Date.now()): ResponseVerdict {
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) {
    return { kind: 'gone', status: 410, reason: `${safeUrl} answered 410 Gone: the receiver no longer accepts these webhooks` };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
    const hint = retryAfterMs === undefined ? '' : ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)`;
    const reason = `${safeUrl} answered ${status}${hint}; will retry`;
    return retryAfterMs === undefined ? { kind: 'retry', status, reason } : { kind: 'retry', status, retryAfterMs, reason };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: 'permanent',
      status,
      reason: `${safeUrl} answered ${status} redirect; redirects are not followed unless maxRedirects is configured — update the endpoint URL`,
    };
  }
  return { kind: 'permanent', status, reason: `${safeUrl} answered ${status}; fix the endpoint or the receiver, then retry the dead message` };
}
