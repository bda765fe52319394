import { secret } from '@plugboard/core';
import { z } from 'zod';
import { MASK, invalidConfig } from './smtp-config';

const NAME = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" only');

const HEADER_VALUE = z.string().regex(/^[^\r\n]*$/, 'must not contain CR or LF');

/** Schema of a named HTTP SMS gateway configuration. */
export const smsGatewayConfigSchema = z
  .strictObject({
    name: NAME,
    description: z.string().max(500).default(''),
    /** Gateway URL; may contain `{phone}` and `{message}` (URL-encoded when substituted). */
    url: secret(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
    method: z.enum(['GET', 'POST']).default('POST'),
    /** Request parameters; values may contain `{phone}` and `{message}`. GET: query string, POST: body. */
    parameters: z.record(z.string().min(1), secret(z.string())).default({}),
    /** POST body encoding. */
    bodyFormat: z.enum(['form', 'json']).default('form'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'invalid header name'), secret(HEADER_VALUE)).default({}),
    /** Success check: the status must lie in [statusMin, statusMax] and the body match `bodyRegex` when set. */
    success: z
      .strictObject({
        statusMin: z.number().int().min(100).max(599).default(200),
        statusMax: z.number().int().min(100).max(599).default(299),
        bodyRegex: z
          .string()
          .refine((s) => {
            try {
              new RegExp(s);
              return true;
            } catch {
              return false;
            }
          }, 'must be a valid regular expression')
          .optional(),
      })
      .default({ statusMin: 200, statusMax: 299 }),
    timeoutMs: z.number().int().min(100).max(600_000).default(15_000),
    /** Parameter and header names whose values are masked in listings (in addition to the built-in pattern). */
    secretFields: z.array(z.string()).default([]),
  })
  .refine((c) => c.success.statusMin <= c.success.statusMax, {
    message: 'statusMin must not exceed statusMax',
    path: ['success'],
  });

/** A validated SMS gateway configuration as stored. */
export type SmsGatewayConfig = z.infer<typeof smsGatewayConfigSchema>;
/** What callers pass to create/update an SMS gateway configuration. */
export type SmsGatewayConfigInput = z.input<typeof smsGatewayConfigSchema>;

/**
 * Validates an SMS gateway configuration and fills in defaults.
 *
 * @example
 * ```ts
 * const gw = parseSmsGatewayConfig({ name: 'gw', url: 'https://sms.example.org/send',
 *   parameters: { to: '{phone}', text: '{message}', apikey: 'k' } });
 * gw.method; // 'POST'
 * ```
 */
export function parseSmsGatewayConfig(input: unknown): SmsGatewayConfig {
  const parsed = smsGatewayConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidConfig('SMS gateway', parsed.error);
  return parsed.data;
}

const SECRET_NAME = /pass|secret|token|key|auth|sig/i;

function maskRecord(record: Readonly<Record<string, string>>, extra: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k] = SECRET_NAME.test(k) || extra.includes(k) ? MASK : v;
  }
  return out;
}

/**
 * The configuration with secret-looking parameters and headers (names matching
 * pass/secret/token/key/auth/sig, or listed in `secretFields`) and URL credentials masked.
 */
export function maskSmsGatewayConfig(config: SmsGatewayConfig): SmsGatewayConfig {
  let url = config.url;
  try {
    const u = new URL(config.url);
    if (u.password !== '') u.password = MASK;
    for (const key of [...u.searchParams.keys()]) {
      if (SECRET_NAME.test(key) || config.secretFields.includes(key)) u.searchParams.set(key, MASK);
    }
    url = u.toString();
  } catch {
    // Stored configurations were validated as URLs; keep the text if parsing ever fails.
  }
  return {
    ...config,
    url,
    parameters: maskRecord(config.parameters, config.secretFields),
    headers: maskRecord(config.headers, config.secretFields),
  };
}
