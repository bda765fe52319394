import type { OptionValues } from '@plugboard/core';
import { NotifyError } from './errors';
import type { NotifyType } from './recipients';

// The option readers of UserNotification's actions: each refuses a bad value naming the option.

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** A required text option, trimmed; missing → `PB_NOTIFY_INVALID_OPTION`. */
export function requiredOption(options: OptionValues, name: string, action: string): string {
  const value = str(options[name]).trim();
  if (value === '') throw new NotifyError('PB_NOTIFY_INVALID_OPTION', `Option "${name}" is required for ${action}.`);
  return value;
}

/** The `To` option as one of `allowed`. */
export function recipientType(options: OptionValues, allowed: readonly NotifyType[], action: string): NotifyType {
  const value = str(options.To).trim();
  const found = allowed.find((t) => t === value);
  if (found === undefined) {
    throw new NotifyError(
      'PB_NOTIFY_INVALID_OPTION',
      `Option "To" of ${action} must be one of ${allowed.map((t) => `"${t}"`).join(', ')}, not "${value}".`,
    );
  }
  return found;
}

/** A template option, or the default when unset. */
export function optionText(value: unknown, fallback: string): string {
  return value === undefined || value === null || value === '' ? fallback : str(value);
}

/** `To email` as typed: a text or a list. */
export function listOption(value: unknown): string | readonly string[] {
  if (Array.isArray(value)) return value.map((v) => str(v));
  return str(value);
}
