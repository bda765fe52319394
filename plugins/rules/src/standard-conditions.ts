import type { ConditionSpec, EventContext } from '@plugboard/core';
import { COMPARE_OPS, Comparison, type CompareOp } from './comparison';
import { IpList } from './ip-list';
import { compileRegex, regexError, splitList } from './option-values';
import { PayloadPath } from './payload-path';

/** A compiled condition: does it hold for this event? */
export type ConditionCheck = (ctx: EventContext) => boolean;

/** One `payload_compare` entry in structured form. */
export interface PayloadComparison {
  /** Dotted path into the payload, e.g. `account.quota`. */
  readonly field: string;
  readonly op: CompareOp;
  /** For `in`: a list or a comma-separated string; for `matches`: a regex string. */
  readonly value: unknown;
}

/**
 * The conditions every module extending `BaseHandlerModule` understands, with the specs a UI
 * shows. All set conditions must hold; a condition that looks at something the event lacks
 * (no logged-in user, no result, missing payload field, no client IP) does not hold.
 */
export const STANDARD_CONDITIONS = {
  logged_in_user: {
    type: 'str',
    description: 'Role of the logged-in user, e.g. "admin" or "user" (comma-separated list: any of them; case-insensitive).',
  },
  logged_in_user_realm: {
    type: 'str',
    description: 'Realm of the logged-in user (comma-separated list: any of them; case-insensitive).',
  },
  realm: {
    type: 'str',
    description: 'Realm of the user the event is about (comma-separated list: any of them; case-insensitive).',
  },
  result_status: {
    type: 'str',
    values: ['success', 'failure'],
    description: 'Outcome of the host work (post rules): "success" or "failure".',
  },
  result_value: {
    type: 'str',
    description: 'Comparison on the result value (post rules): "true", "==5", "!=x", ">3", "in a,b", "contains x", "matches ^a".',
  },
  client_ip: {
    type: 'str',
    description: 'Client IP addresses and CIDR ranges, comma-separated; "!" excludes, e.g. "10.0.0.0/8,!10.0.0.5".',
  },
  payload_match: {
    type: 'text',
    description: 'Regular expressions on payload fields, one "field=regex" per line (or an object {field: regex}); all must match.',
  },
  payload_compare: {
    type: 'text',
    description: `Comparisons on payload fields, one "field op value" per line (ops ${COMPARE_OPS.join(' ')}; or a list of {field, op, value}); all must hold.`,
  },
  result_compare: {
    type: 'text',
    description: `Comparisons on fields of a JSON result (an API response body), one "path op value" per line, like payload_compare; all must hold.`,
  },
} as const satisfies Readonly<Record<string, ConditionSpec>>;

/** Names of the standard conditions. */
export type StandardConditionName = keyof typeof STANDARD_CONDITIONS;

const own = Object.prototype.hasOwnProperty;

/** True when `name` is one of {@link STANDARD_CONDITIONS}. */
export function isStandardCondition(name: string): name is StandardConditionName {
  return own.call(STANDARD_CONDITIONS, name);
}

/**
 * Compiles a set (non-empty) value of a standard condition.
 *
 * @throws Error whose message says what is wrong with the value (used verbatim in validation issues).
 * @example
 * ```ts
 * const check = compileStandardCondition('client_ip', '10.0.0.0/8,!10.0.0.5');
 * check(ctx); // true when ctx.request.ip is in 10/8 and is not 10.0.0.5
 * ```
 */
export function compileStandardCondition(name: StandardConditionName, value: unknown): ConditionCheck {
  switch (name) {
    case 'logged_in_user': {
      const roles = lowerList(value);
      return (ctx) => inList(roles, ctx.loggedInUser?.role);
    }
    case 'logged_in_user_realm': {
      const realms = lowerList(value);
      return (ctx) => inList(realms, ctx.loggedInUser?.realm);
    }
    case 'realm': {
      const realms = lowerList(value);
      return (ctx) => inList(realms, ctx.user?.realm);
    }
    case 'result_status': {
      if (value !== 'success' && value !== 'failure') {
        throw new Error(`must be "success" or "failure", got ${JSON.stringify(value)}`);
      }
      return (ctx) => ctx.result !== undefined && ctx.result.status === value;
    }
    case 'result_value': {
      let comparison: Comparison;
      if (typeof value === 'string') comparison = Comparison.parse(value);
      else if (typeof value === 'number' || typeof value === 'boolean') comparison = new Comparison('==', value);
      else throw new Error('must be a comparison string such as "true", ">3" or "in a,b"');
      return (ctx) => ctx.result !== undefined && comparison.test(ctx.result.value);
    }
    case 'client_ip': {
      if (typeof value !== 'string') throw new Error('must be a comma-separated string of addresses and CIDR ranges');
      const list = IpList.parse(value);
      return (ctx) => list.matches(ctx.request?.ip);
    }
    case 'payload_match': {
      const matchers = parsePayloadMatch(value);
      return (ctx) => {
        for (const m of matchers) {
          const actual = m.path.get(ctx.payload);
          if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
          if (!m.regex.test(String(actual))) return false;
        }
        return true;
      };
    }
    case 'payload_compare':
    case 'result_compare': {
      const comparisons = parsePayloadCompare(value);
      // result_value compares the whole result as one value, which never matches a JSON body: this matches its fields by path.
      const root = name === 'result_compare' ? (ctx: EventContext) => ctx.result?.value : (ctx: EventContext) => ctx.payload;
      return (ctx) => {
        if (name === 'result_compare' && ctx.result === undefined) return false;
        for (const c of comparisons) if (!c.comparison.test(c.path.get(root(ctx)))) return false;
        return true;
      };
    }
  }
}

function inList(list: readonly string[], value: string | undefined): boolean {
  return typeof value === 'string' && list.includes(value.trim().toLowerCase());
}

function lowerList(value: unknown): string[] {
  let list: string[];
  if (typeof value === 'string') list = splitList(value);
  else if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) list = value.map((v) => v.trim());
  else throw new Error('must be a string (comma-separated for several) or a list of strings');
  if (list.length === 0) throw new Error('lists no value');
  return list.map((v) => v.toLowerCase());
}

function checkField(field: unknown, where: string): string {
  if (typeof field !== 'string' || field.trim() === '') throw new Error(`${where}: the field name is missing`);
  return field.trim();
}

function parsePayloadMatch(value: unknown): { path: PayloadPath; regex: RegExp }[] {
  const pairs: [string, unknown][] = [];
  const fromLine = (line: string, where: string): void => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${where}: ${JSON.stringify(line)} is not of the form field=regex`);
    pairs.push([line.slice(0, eq), line.slice(eq + 1)]);
  };
  if (typeof value === 'string') {
    value.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() !== '') fromLine(line.trim(), `line ${i + 1}`);
    });
  } else if (Array.isArray(value)) {
    value.forEach((line, i) => {
      if (typeof line !== 'string') throw new Error(`entry ${i}: must be a "field=regex" string`);
      fromLine(line.trim(), `entry ${i}`);
    });
  } else if (typeof value === 'object' && value !== null) {
    pairs.push(...Object.entries(value));
  } else {
    throw new Error('must be "field=regex" lines, a list of them, or an object {field: regex}');
  }
  if (pairs.length === 0) throw new Error('lists no field');
  return pairs.map(([field, source]) => {
    const name = checkField(field, 'entry');
    if (typeof source !== 'string') throw new Error(`field "${name}": the regex must be a string`);
    const err = regexError(source);
    if (err !== undefined) throw new Error(`field "${name}": ${JSON.stringify(source)} is not a valid regular expression: ${err}`);
    return { path: new PayloadPath(name), regex: compileRegex(source) };
  });
}

function parsePayloadCompare(value: unknown): { path: PayloadPath; comparison: Comparison }[] {
  const out: { path: PayloadPath; comparison: Comparison }[] = [];
  const fromLine = (line: string, where: string): void => {
    // Word operators first: in "name contains a==b" the "==" belongs to the value.
    const parsed =
      /^\s*(\S+)\s+(in|contains|matches)\s+(.*?)\s*$/s.exec(line) ?? /^\s*(\S+?)\s*(==|!=|<|>)\s*(.*?)\s*$/s.exec(line);
    if (parsed === null) {
      throw new Error(`${where}: ${JSON.stringify(line)} is not of the form "field op value" (ops ${COMPARE_OPS.join(' ')})`);
    }
    out.push({ path: new PayloadPath(parsed[1]), comparison: withWhere(where, () => Comparison.fromText(parsed[2] as CompareOp, parsed[3])) });
  };
  const fromObject = (entry: Record<string, unknown>, where: string): void => {
    const field = checkField(entry.field, where);
    const op = entry.op;
    if (typeof op !== 'string' || !(COMPARE_OPS as readonly string[]).includes(op)) {
      throw new Error(`${where}: operator ${JSON.stringify(op)} is not one of ${COMPARE_OPS.join(' ')}`);
    }
    out.push({ path: new PayloadPath(field), comparison: withWhere(where, () => new Comparison(op as CompareOp, entry.value)) });
  };
  const fromEntry = (entry: unknown, where: string): void => {
    if (typeof entry === 'string') fromLine(entry, where);
    else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) fromObject(entry as Record<string, unknown>, where);
    else throw new Error(`${where}: must be {field, op, value} or a "field op value" string`);
  };
  if (typeof value === 'string') {
    value.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() !== '') fromLine(line, `line ${i + 1}`);
    });
  } else if (Array.isArray(value)) {
    value.forEach((entry, i) => fromEntry(entry, `entry ${i}`));
  } else if (typeof value === 'object' && value !== null) {
    fromObject(value as Record<string, unknown>, 'entry');
  } else {
    throw new Error('must be "field op value" lines or a list of {field, op, value}');
  }
  if (out.length === 0) throw new Error('lists no comparison');
  return out;
}

function withWhere<T>(where: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
