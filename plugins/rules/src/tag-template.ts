import { PlugboardError } from '@plugboard/core';

/** Values a template may reference; `undefined`/`null` render as an empty string. */
export type TagValues = Readonly<Record<string, unknown>>;

/** Options of {@link renderTemplate}. */
export interface RenderOptions {
  /** HTML-escape every substituted value (the template text itself is trusted and left as is). */
  readonly escapeHtml?: boolean;
  /** Replace CR/LF (and other control characters) in substituted values, for header-bound text. */
  readonly singleLine?: boolean;
  /** Names the template in error messages ("subject", "body" …). */
  readonly where?: string;
  /**
   * Builds the error for unknown tags (names without braces, in order of appearance); a
   * package passes its own coded error here. Default: {@link UnknownTagError}.
   */
  readonly unknownTag?: (tags: readonly string[], where: string) => Error;
}

/**
 * A template used tags that are neither keys of the values nor dotted paths into them
 * (`PB_RULES_UNKNOWN_TAG`); `tags` lists them without braces.
 *
 * @example
 * ```ts
 * try { renderTemplate('{nope}', {}); } catch (e) { if (e instanceof UnknownTagError) console.log(e.tags); } // ['nope']
 * ```
 */
export class UnknownTagError extends PlugboardError {
  readonly tags: readonly string[];

  constructor(tags: readonly string[], where: string) {
    const list = tags.map((t) => `{${t}}`).join(', ');
    super('PB_RULES_UNKNOWN_TAG', `Unknown tag ${list} in the ${where}: the event has no such field. Remove it or fix its name.`);
    this.tags = tags;
  }
}

// Only `{identifier}` is a tag, so literal braces (JSON, CSS) in a body are left alone.
const TAG = /\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes `& < > " '` for safe inclusion in HTML text and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Makes text safe for a single header line: every run of CR/LF and other control characters
 * becomes one space, so a value can never start a new header.
 *
 * @example
 * ```ts
 * singleLine('Hi\r\nBcc: evil@x'); // 'Hi Bcc: evil@x'
 * ```
 */
export function singleLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** Renders one tag value as text: scalars as themselves, objects as JSON. */
export function tagText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function lookup(values: TagValues, name: string): { found: boolean; value?: unknown } {
  if (Object.prototype.hasOwnProperty.call(values, name)) return { found: true, value: values[name] };
  if (!name.includes('.')) return { found: false };
  // Dotted names reach into nested payload objects: {result.detail.serial}.
  let current: unknown = values;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) {
      return { found: false };
    }
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

/**
 * Lists the tags a template uses, without braces, in order of first appearance.
 *
 * @example
 * ```ts
 * templateTags('Hello {givenname}, token {serial}'); // ['givenname', 'serial']
 * ```
 */
export function templateTags(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(TAG)) seen.add(m[1] ?? '');
  return [...seen];
}

/**
 * Substitutes `{tag}` placeholders. A tag that is not a key of `values` (nor a dotted path into
 * one) throws {@link UnknownTagError} naming it — never a silent empty string.
 *
 * @example
 * ```ts
 * renderTemplate('Token {serial} of {username}', { serial: 'OATH1', username: 'alice' });
 * // 'Token OATH1 of alice'
 * renderTemplate('<p>{givenname}</p>', { givenname: '<Eve>' }, { escapeHtml: true });
 * // '<p>&lt;Eve&gt;</p>'
 * ```
 */
export function renderTemplate(template: string, values: TagValues, options: RenderOptions = {}): string {
  const unknown = templateTags(template).filter((t) => !lookup(values, t).found);
  if (unknown.length > 0) {
    const where = options.where ?? 'template';
    throw options.unknownTag ? options.unknownTag(unknown, where) : new UnknownTagError(unknown, where);
  }
  return template.replace(TAG, (_match, name: string) => {
    let text = tagText(lookup(values, name).value);
    if (options.singleLine === true) text = singleLine(text);
    if (options.escapeHtml === true) text = escapeHtml(text);
    return text;
  });
}
