import { invalid } from '../errors';
import type { FieldSpec } from '../hooks';

/**
 * Names, addresses and e-mails end up in mail headers, logs and CSV exports: a CR/LF there
 * forges a header or a line, so control characters are refused wherever such a field is saved.
 */
export function checkSingleLine(fields: Readonly<Record<string, string | undefined>>): void {
  for (const [field, value] of Object.entries(fields)) {
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (value !== undefined && /[\u0000-\u001f\u007f]/.test(value)) throw invalid(field, 'must be one line without control characters (CR, LF, tab …).');
  }
}

/** Passwords shorter than 8 characters are refused, naming the field. */
export function checkPassword(password: string, field: string): void {
  if (password.length < 8) throw invalid(field, 'use at least 8 characters.');
}

/** A CSV cell as a non-negative integer (400 naming the field otherwise). */
export function toInt(v: string, field: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalid(field, `"${v}" is not a non-negative integer.`);
  return n;
}

/** A CSV cell as a boolean: true, 1, yes, y, on (any case) are true. */
export function toBool(v: string): boolean {
  return /^(true|1|yes|y|on)$/i.test(v.trim());
}

/** Checks a value against a field spec (JSON input: no string→number guessing except from CSV). */
export function coerceField(spec: FieldSpec, value: unknown, field: string): unknown {
  switch (spec.type) {
    case 'string':
    case 'text':
      if (typeof value !== 'string') throw invalid(field, 'must be a string.');
      if (spec.required && value === '') throw invalid(field, 'required.');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number.');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(field, 'must be true or false.');
      return value;
    case 'choice':
      if (!(spec.choices ?? []).some(([v]) => v === value)) throw invalid(field, `must be one of ${(spec.choices ?? []).map(([v]) => v).join(', ')}.`);
      return value;
  }
}
