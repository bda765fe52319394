import { compileRegex, regexError, splitList } from './option-values';

/** Operators of `payload_compare` and `result_value`. */
export type CompareOp = '==' | '!=' | '<' | '>' | 'in' | 'contains' | 'matches';

/** All operators, in the order they are documented. */
export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '<', '>', 'in', 'contains', 'matches'];

/** A comparison of a value with an expected one; `matches` carries its compiled regex. */
export class Comparison {
  private readonly regex?: RegExp;
  private readonly list?: readonly unknown[];

  /** @throws Error when `expected` does not suit `op` (a bad regex, a missing value). */
  constructor(
    readonly op: CompareOp,
    readonly expected: unknown,
  ) {
    if (expected === undefined || expected === null) throw new Error(`operator "${op}" needs a value to compare with`);
    if (op === 'matches') {
      if (typeof expected !== 'string') throw new Error('"matches" needs a regular expression string');
      const err = regexError(expected);
      if (err !== undefined) throw new Error(`${JSON.stringify(expected)} is not a valid regular expression: ${err}`);
      this.regex = compileRegex(expected);
    } else if (op === 'in') {
      if (Array.isArray(expected)) this.list = expected;
      else if (typeof expected === 'string') this.list = splitList(expected);
      else throw new Error('"in" needs a list or a comma-separated string');
    } else if (typeof expected === 'object') {
      throw new Error(`operator "${op}" needs a string, number or boolean, got ${Array.isArray(expected) ? 'an array' : 'an object'}`);
    }
  }

  /**
   * Parses `op value` text (`>= ` is not an operator; `==`, `!=`, `<`, `>` may touch the value,
   * `in`/`contains`/`matches` are followed by a space). Without an operator the whole text is
   * compared with `==`.
   */
  static parse(text: string): Comparison {
    const word = /^\s*(in|contains|matches)\s+(.*?)\s*$/s.exec(text);
    if (word !== null) return new Comparison(word[1] as CompareOp, word[2]);
    const symbol = /^\s*(==|!=|<|>)\s*(.*?)\s*$/s.exec(text);
    if (symbol !== null) return Comparison.fromText(symbol[1] as CompareOp, symbol[2]);
    const plain = text.trim();
    if (/^[=<>]/.test(plain)) throw new Error(`${JSON.stringify(plain)} does not start with an operator (use one of ${COMPARE_OPS.join(' ')})`);
    return new Comparison('==', plain);
  }

  /**
   * Builds a comparison from text already split into operator and value, refusing values that
   * start with an operator character: `>= 5` would otherwise silently compare with the text "= 5".
   */
  static fromText(op: CompareOp, value: string): Comparison {
    if ((op === '==' || op === '!=' || op === '<' || op === '>') && /^[=<>!]/.test(value)) {
      throw new Error(`"${op}${value[0]}" is not an operator (use one of ${COMPARE_OPS.join(' ')})`);
    }
    return new Comparison(op, value);
  }

  /** Whether `actual` satisfies the comparison. A missing (`undefined`) value never does. */
  test(actual: unknown): boolean {
    if (actual === undefined) return false;
    switch (this.op) {
      case '==':
        return looselyEqual(actual, this.expected);
      case '!=':
        return !looselyEqual(actual, this.expected);
      case '<':
      case '>':
        return ordered(actual, this.expected, this.op);
      case 'in':
        return (this.list ?? []).some((e) => looselyEqual(actual, e));
      case 'contains':
        if (typeof actual === 'string') return actual.includes(String(this.expected));
        if (Array.isArray(actual)) return actual.some((e) => looselyEqual(e, this.expected));
        return false;
      case 'matches':
        return isScalar(actual) && this.regex !== undefined && this.regex.test(String(actual));
    }
  }
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Equality across the JSON-ish types rule values are written in: `5 == "5"`, `true == "true"`,
 * `null == "null"`; strings compare exactly; objects and arrays are never equal to a scalar.
 */
function looselyEqual(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = toNumber(actual);
    const b = toNumber(expected);
    return a !== undefined && b !== undefined && a === b && isScalar(actual) && isScalar(expected);
  }
  if (typeof actual === 'boolean') return typeof expected === 'string' && expected.trim().toLowerCase() === String(actual);
  if (typeof expected === 'boolean') return typeof actual === 'string' && actual.trim().toLowerCase() === String(expected);
  if (actual === null) return expected === 'null';
  if (typeof actual === 'string') return isScalar(expected) && actual === String(expected);
  return false;
}

function ordered(actual: unknown, expected: unknown, op: '<' | '>'): boolean {
  const a = toNumber(actual);
  const b = toNumber(expected);
  if (a !== undefined && b !== undefined) return op === '<' ? a < b : a > b;
  // Two non-numeric strings (ISO dates, names) compare in code-unit order; a number never
  // compares with a non-numeric string.
  if (a === undefined && b === undefined && typeof actual === 'string' && typeof expected === 'string') {
    return op === '<' ? actual < expected : actual > expected;
  }
  return false;
}
