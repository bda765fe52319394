import { secret } from '@plugboard/core';
import { z } from 'zod';
import { NotifyError } from './errors';
import { isPlainAddress } from './recipients';

/**
 * How the SMTP connection is secured:
 * - `tls`: implicit TLS from the first byte (port 465);
 * - `starttls`: plain connect, then STARTTLS is *required* (the send fails if the server does not offer it);
 * - `opportunistic`: STARTTLS when offered, plain otherwise;
 * - `none`: never upgrade (local relays and tests only).
 */
export type SmtpSecurity = 'tls' | 'starttls' | 'opportunistic' | 'none';

const NAME = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" only');

// A single address without display name: CR/LF or separators here would let a value smuggle headers.
const ADDRESS = z.string().refine(isPlainAddress, 'must be a plain e-mail address');

/** Schema of a named SMTP configuration (privacyIDEA "SMTP server" configuration). */
export const smtpConfigSchema = z.strictObject({
  name: NAME,
  description: z.string().max(500).default(''),
  host: z.string().min(1, 'must not be empty'),
  port: z.number().int().min(1).max(65535).default(587),
  /** Envelope and `From` address of every mail sent through this configuration. */
  sender: ADDRESS,
  /** Display name shown with `sender`. */
  senderName: z.string().max(200).default(''),
  username: z.string().default(''),
  password: secret(z.string()).default(''),
  security: z.enum(['tls', 'starttls', 'opportunistic', 'none']).default('starttls'),
  /** Verify the server certificate (disable only for self-signed test servers). */
  rejectUnauthorized: z.boolean().default(true),
  /** Socket/greeting/command timeout. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Size of the pooled transport. */
  maxConnections: z.number().int().min(1).max(100).default(5),
});

/** A validated SMTP configuration as stored. */
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;
/** What callers pass to create/update an SMTP configuration (defaults filled in). */
export type SmtpConfigInput = z.input<typeof smtpConfigSchema>;

/** Placeholder shown instead of a secret in listings. */
export const MASK = '***';

/** Turns a zod failure into a coded error naming every bad field. */
export function invalidConfig(kind: string, error: z.ZodError): NotifyError {
  const fields = error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
  return new NotifyError('PB_NOTIFY_INVALID_CONFIG', `Invalid ${kind} configuration — ${fields}. Fix these fields and save again.`, {
    cause: error,
  });
}

/**
 * Validates an SMTP configuration and fills in defaults.
 *
 * @example
 * ```ts
 * const cfg = parseSmtpConfig({ name: 'relay', host: 'smtp.example.org', sender: 'pb@example.org' });
 * cfg.port; // 587
 * ```
 */
export function parseSmtpConfig(input: unknown): SmtpConfig {
  const parsed = smtpConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidConfig('SMTP', parsed.error);
  return parsed.data;
}

/** The configuration with its password replaced by {@link MASK} (empty stays empty). */
export function maskSmtpConfig(config: SmtpConfig): SmtpConfig {
  return { ...config, password: config.password === '' ? '' : MASK };
}
