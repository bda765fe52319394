import type { OptionSpec } from '@plugboard/core';

const LITERAL = /^\/(.*)\/([a-z]*)$/s;

/**
 * Compiles a rule regex. Plain text is a pattern searched anywhere in the value (like Python's
 * `re.search` in privacyIDEA); `/pattern/flags` form allows flags such as `i`. The stateful `g`/`y`
 * flags are dropped so that repeated `test` calls give the same answer.
 *
 * @throws SyntaxError when the pattern or flags are invalid.
 * @example
 * ```ts
 * compileRegex('^admin').test('administrator'); // true
 * compileRegex('/^ADMIN/i').test('admin');      // true
 * ```
 */
export function compileRegex(source: string): RegExp {
  const literal = LITERAL.exec(source);
  if (literal !== null) return new RegExp(literal[1], literal[2].replace(/[gy]/g, ''));
  return new RegExp(source);
}

/** The compile error of `source`, or `undefined` when it compiles. */
export function regexError(source: string): string | undefined {
  try {
    compileRegex(source);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** True for values that count as "not set": undefined, null, empty or blank string, empty array. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Splits a comma-separated list, trimming entries and dropping empty ones. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = part.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

/** Result of checking one value against an {@link OptionSpec}: the normalised value, or what is wrong. */
export type OptionCheck = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `${typeof value} ${typeof value === 'object' ? '' : String(value)}`.trim();
}

function allowed(spec: OptionSpec): string {
  return (spec.values ?? []).map((v) => JSON.stringify(v)).join(', ');
}

/**
 * Checks a set (non-empty) value against its spec and normalises it:
 * `str`/`text` → string (one of `values` when given; `str` is one line, no control characters); `bool` → boolean (`"true"`/`"false"` accepted);
 * `int` → integer (decimal strings accepted); `multi` → array of strings, from an array or a
 * comma-separated string, each one of `values` when given; `regexp` → a string that compiles.
 */
export function checkOptionValue(spec: OptionSpec, value: unknown): OptionCheck {
  switch (spec.type) {
    case 'str':
    case 'text': {
      if (typeof value !== 'string') return { ok: false, message: `must be a string, got ${describe(value)}` };
      // `str` options end up in mail headers, URLs and arguments: a line break there forges a header.
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      if (spec.type === 'str' && /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
        return { ok: false, message: 'must be a single line without control characters (CR, LF …): they could inject mail headers; use a text option for multi-line content' };
      }
      if (spec.values !== undefined && spec.values.length > 0 && !spec.values.includes(value)) {
        return { ok: false, message: `${describe(value)} is not one of the allowed values ${allowed(spec)}` };
      }
      return { ok: true, value };
    }
    case 'bool': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return { ok: false, message: `must be a boolean, got ${describe(value)}` };
    }
    case 'int': {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) && Number.isSafeInteger(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return { ok: false, message: `must be an integer, got ${describe(value)}` };
    }
    case 'multi': {
      let list: string[];
      if (typeof value === 'string') list = splitList(value);
      else if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) list = value.map((v) => v.trim());
      else return { ok: false, message: `must be a list of strings or a comma-separated string, got ${describe(value)}` };
      if (spec.values !== undefined && spec.values.length > 0) {
        const bad = list.filter((v) => !(spec.values ?? []).includes(v));
        if (bad.length > 0) {
          return { ok: false, message: `${bad.map((b) => JSON.stringify(b)).join(', ')} not among the allowed values ${allowed(spec)}` };
        }
      }
      return { ok: true, value: list };
    }
    case 'regexp': {
      if (typeof value !== 'string') return { ok: false, message: `must be a regular expression string, got ${describe(value)}` };
      const err = regexError(value);
      if (err !== undefined) return { ok: false, message: `is not a valid regular expression: ${err}` };
      return { ok: true, value };
    }
    default: {
      const never: never = spec.type;
      return { ok: false, message: `has unknown option type ${String(never)}` };
    }
  }
}
