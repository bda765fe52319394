import { isSecretName, maskUrl, SECRET_MASK } from '@plugboard/core';

/**
 * A copy of a JSON-like value with every secret-looking property (core's `isSecretName`, the rule
 * event payloads use) replaced by `***` and URL passwords and query values masked, cut at `depth` levels. Used for everything the admin page shows (outbox payloads, hook arguments),
 * so a secret never reaches the browser whatever a plugin put in its payload.
 *
 * @example
 * ```ts
 * maskSecrets({ url: 'http://x', secret: 'whsec_1', headers: { Authorization: 'Bearer t' } });
 * // { url: 'http://x', secret: '***', headers: { Authorization: '***' } }
 * ```
 */
export function maskSecrets(value: unknown, depth = 6): unknown {
  if (typeof value === 'string') return maskUrl(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (value instanceof Date) return value.toISOString();
  if (depth <= 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) return value.map((v: unknown) => maskSecrets(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretName(k) && v !== undefined && v !== null && v !== '' ? SECRET_MASK : maskSecrets(v, depth - 1);
  }
  return out;
}

/** Masked JSON of a value, shortened to `max` characters. */
export function maskedJson(value: unknown, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(maskSecrets(value)) ?? String(value);
  } catch {
    // Cyclic or otherwise unserialisable values are shown by type only.
    text = `[${typeof value}]`;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
