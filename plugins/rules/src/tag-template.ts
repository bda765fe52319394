import { PlugboardError } from '@plugboard/core';
import { PayloadPath } from './payload-path';

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
  // One pass: unknown tags are collected (each once, in order of appearance) while substituting.
  const unknown = new Set<string>();
  const out = template.replace(TAG, (_match, name: string) => {
    const hit = new PayloadPath(name).find(values);
    if (!hit.found) {
      unknown.add(name);
      return '';
    }
    let text = tagText(hit.value);
    if (options.singleLine === true) text = singleLine(text);
    if (options.escapeHtml === true) text = escapeHtml(text);
    return text;
  });
  if (unknown.size > 0) {
    const where = options.where ?? 'template';
    const tags = [...unknown];
    throw options.unknownTag ? options.unknownTag(tags, where) : new UnknownTagError(tags, where);
  }
  return out;
}
