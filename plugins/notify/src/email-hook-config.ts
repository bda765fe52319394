import { secret } from '@plugboard/core';
import { z } from 'zod';
import { isPlainAddress, splitList } from './recipients';
import { invalidConfig, MASK } from './smtp-config';

/** Which eventhooks email hook a stored configuration builds: `simple` (SMTP) or `ses` (AWS SES v2). */
export type EmailHookKind = 'simple' | 'ses';

const NAME = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" only');

const LABEL = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

// CR/LF or separators in an address would let a stored value smuggle headers.
const ADDRESS = z.string().trim().refine(isPlainAddress, 'must be a plain e-mail address');

// An empty optional string means "not set" (a form sends '' for a cleared field).
const optionalText = z
  .string()
  .max(500, 'must be at most 500 characters')
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const settingsSchema = z.strictObject({
  /** SMTP host (`simple` only; required there). */
  host: z.string().trim().optional(),
  /** SMTP port (`simple` only). */
  port: z.number().int('must be an integer').min(1).max(65535).default(587),
  /**
   * `simple`: `user:password` (required). `ses`: optional `accessKeyId:secretAccessKey`;
   * without it the AWS SDK's default credential chain is used.
   */
  credentials: secret(z.string()).default(''),
  sender: ADDRESS,
  senderName: z.string().max(200, 'must be at most 200 characters').default(''),
  /** A comma-separated string (trimmed) or a list; stored as a list. */
  recipients: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => splitList(v))
    .pipe(z.array(ADDRESS).min(1, 'list at least one recipient')),
  /** Defaults to the hook's name. */
  subject: optionalText,
  configurationSet: optionalText,
  /** AWS region (`ses`; default `us-west-2`). */
  region: optionalText,
  /** SES endpoint override (`ses`), e.g. a VPC endpoint. */
  endpoint: optionalText.pipe(z.url('must be an http(s) URL').optional()),
  /** Require STARTTLS (`simple`; default true). Disable only for local relays and tests. */
  requireTls: z.boolean().default(true),
});

/** Schema of a stored email hook (eventhooks `SimpleEmailHook` / `AwsSesEmailHook` plus the events that trigger it). */
export const emailHookConfigSchema = z
  .strictObject({
    name: NAME,
    kind: z.enum(['simple', 'ses']),
    /** Hook names that trigger it (e.g. `AccountCreated`); duplicates are dropped. */
    events: z
      .array(LABEL)
      .min(1, 'list at least one hook name (e.g. AccountCreated)')
      .transform((v) => [...new Set(v)]),
    /** eventhooks realms: none = every call; otherwise only calls in one of them. */
    realms: z
      .array(LABEL)
      .default([])
      .transform((v) => [...new Set(v)]),
    settings: settingsSchema,
  })
  .superRefine((config, ctx) => {
    const { settings } = config;
    if (config.kind === 'simple') {
      if (settings.host === undefined || settings.host === '') {
        ctx.addIssue({ code: 'custom', path: ['settings', 'host'], message: 'is required for a simple email hook' });
      }
      if (settings.credentials === '') {
        ctx.addIssue({ code: 'custom', path: ['settings', 'credentials'], message: 'is required for a simple email hook (format user:password)' });
      }
    }
    if (settings.credentials !== '' && settings.credentials !== MASK && settings.credentials.indexOf(':') <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'credentials'],
        message: config.kind === 'simple' ? 'must have the format user:password' : 'must have the format accessKeyId:secretAccessKey',
      });
    }
    if (settings.credentials === MASK) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'credentials'], message: 'is "***" but no secret is stored yet; send the real value' });
    }
  });

/** A validated email hook configuration as stored. */
export type EmailHookConfig = z.infer<typeof emailHookConfigSchema>;
/** What callers pass to create an email hook (defaults filled in on save). */
export type EmailHookConfigInput = z.input<typeof emailHookConfigSchema>;
/** The settings part of {@link EmailHookConfig}. */
export type EmailHookSettings = EmailHookConfig['settings'];
/** Changes accepted by an update: `settings` fields are merged into the stored ones. */
export interface EmailHookConfigPatch {
  readonly kind?: EmailHookKind;
  readonly events?: readonly string[];
  readonly realms?: readonly string[];
  readonly settings?: Partial<EmailHookConfigInput['settings']>;
}

/**
 * Validates an email hook configuration and fills in defaults; throws `PB_NOTIFY_INVALID_CONFIG`
 * naming every bad field (e.g. `settings.host`).
 *
 * @example
 * ```ts
 * const cfg = parseEmailHookConfig({
 *   name: 'welcome', kind: 'simple', events: ['AccountCreated'],
 *   settings: { host: 'smtp.example.org', credentials: 'user:password', sender: 'pb@example.org', recipients: 'ops@example.org' },
 * });
 * cfg.settings.port; // 587
 * ```
 */
export function parseEmailHookConfig(input: unknown): EmailHookConfig {
  const parsed = emailHookConfigSchema.safeParse(input);
  if (!parsed.success) throw invalidConfig('email hook', parsed.error);
  return parsed.data;
}

/** The configuration with its credentials replaced by {@link MASK} (empty stays empty). */
export function maskEmailHookConfig(config: EmailHookConfig): EmailHookConfig {
  return { ...config, settings: { ...config.settings, credentials: config.settings.credentials === '' ? '' : MASK } };
}
