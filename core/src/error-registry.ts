/**
 * Error registries: one `const` table per package maps every code it throws to what the code
 * means and what to do. The code union is derived from the table, the docs table is generated
 * from it, and {@link ErrorRegistry.is} recognises the package's errors by code.
 */
import type { PlugboardError } from './errors';

/** A registry table: code → one line saying what it means and what to do. */
export type ErrorTable = Readonly<Record<`PB_${string}`, string>>;

/** An error (of any copy of Plugboard) whose `code` is `C`. */
export type CodedError<C extends string> = PlugboardError & { readonly code: C };

/** The registry of one package, built by {@link defineErrorRegistry}. */
export interface ErrorRegistry<C extends string> {
  /** The package whose codes these are, e.g. `@plugboard/core`. */
  readonly packageName: string;
  /** Code → meaning and what to do (the documentation source). */
  readonly entries: Readonly<Record<C, string>>;
  /** Every code, in table order. */
  readonly codes: readonly C[];
  /** Whether `code` is one of this registry's codes. */
  has(code: unknown): code is C;
  /**
   * Whether `e` is an error with one of this registry's codes (or with `code`, when given).
   * Recognised by shape and code rather than `instanceof`, so errors thrown by another copy of
   * the package, or created in another realm (a sandbox), are recognised too.
   */
  is<K extends C = C>(e: unknown, code?: K): e is CodedError<K>;
}

/** Whether `e` looks like an Error of any realm: an object with a string `name` and `message`. */
function errorLike(e: unknown): e is { readonly name: string; readonly message: string; readonly code?: unknown } {
  if (typeof e !== 'object' || e === null) return false;
  const obj = e as { name?: unknown; message?: unknown };
  return typeof obj.name === 'string' && typeof obj.message === 'string';
}

/**
 * Builds the registry of a package from its table.
 *
 * @example
 * ```ts
 * export const MY_ERRORS = { PB_MY_BROKEN: 'It broke. Fix the input and try again.' } as const;
 * export const MyErrors = defineErrorRegistry('@acme/my-plugin', MY_ERRORS);
 * if (MyErrors.is(e, 'PB_MY_BROKEN')) console.error(e.message);
 * ```
 */
export function defineErrorRegistry<const C extends `PB_${string}`>(packageName: string, entries: Readonly<Record<C, string>>): ErrorRegistry<C> {
  const codes = Object.keys(entries) as C[];
  const known = new Set<string>(codes);
  const has = (code: unknown): code is C => typeof code === 'string' && known.has(code);
  return Object.freeze({
    packageName,
    entries,
    codes: Object.freeze(codes),
    has,
    is<K extends C = C>(e: unknown, code?: K): e is CodedError<K> {
      if (!errorLike(e) || !has(e.code)) return false;
      return code === undefined || e.code === code;
    },
  });
}

/** The Markdown table of a registry (what `npm run docs:errors` writes into each README). */
export function errorTableMarkdown(registry: ErrorRegistry<string>): string {
  const rows = registry.codes.map((code) => `| \`${code}\` | ${registry.entries[code].replace(/\|/g, '\\|')} |`);
  return ['| Code | Meaning and what to do |', '| --- | --- |', ...rows].join('\n');
}
