import type { Stored } from './config-snapshot';
import { MASK, maskSmtpConfig, type SmtpConfig, type SmtpConfigInput } from './smtp-config';
import { maskSmsGatewayConfig, type SmsGatewayConfig, type SmsGatewayConfigInput } from './sms-gateway-config';

// A UI may send back what it listed: masked secrets mean "unchanged", bookkeeping is not settable.

function stripMeta<T extends object>(stored: Stored<T>): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, revision: _r, ...rest } = stored;
  return rest as Record<string, unknown>;
}

function withoutMeta<T extends object>(patch: T): T {
  const { createdAt: _c, updatedAt: _u, revision: _r, ...rest } = patch as T & { createdAt?: unknown; updatedAt?: unknown; revision?: unknown };
  return rest as T;
}

function unmask(next: unknown, current: Readonly<Record<string, string>>): unknown {
  if (next === null || typeof next !== 'object') return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) out[k] = v === MASK && k in current ? current[k] : v;
  return out;
}

/** The SMTP input an update makes of the stored configuration: `password: '***'` keeps the stored password. */
export function mergeSmtp(current: Stored<SmtpConfig>, name: string, patch: Partial<Omit<SmtpConfigInput, 'name'>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stripMeta(current), ...withoutMeta(patch), name };
  if (merged.password === MASK) merged.password = current.password;
  return merged;
}

/** The SMS input an update makes of the stored configuration: masked parameter/header values and a URL sent back as listed keep the stored ones. */
export function mergeSms(current: Stored<SmsGatewayConfig>, name: string, patch: Partial<Omit<SmsGatewayConfigInput, 'name'>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stripMeta(current), ...withoutMeta(patch), name };
  merged.parameters = unmask(merged.parameters, current.parameters);
  merged.headers = unmask(merged.headers, current.headers);
  if (merged.url === maskSmsGatewayConfig(current).url) merged.url = current.url;
  return merged;
}

/** The configuration as listed: password masked. */
export function maskSmtp(c: Stored<SmtpConfig>): Stored<SmtpConfig> {
  return { ...maskSmtpConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}

/** The configuration as listed: URL credentials, secret parameters and headers masked. */
export function maskSms(c: Stored<SmsGatewayConfig>): Stored<SmsGatewayConfig> {
  return { ...maskSmsGatewayConfig(c), createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision };
}
