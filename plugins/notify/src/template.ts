import { renderTemplate as renderTags, type RenderOptions, type TagValues } from '@plugboard/rules';
import { UnknownTagError } from './errors';

// The `{tag}` engine is shared by every handler module (in @plugboard/rules); notify only
// names its own error for unknown tags.
export { escapeHtml, singleLine, tagText, templateTags } from '@plugboard/rules';
export type { RenderOptions, TagValues } from '@plugboard/rules';

/**
 * Substitutes `{tag}` placeholders (values, or dotted paths into them). An unknown tag throws
 * {@link UnknownTagError} (`PB_NOTIFY_UNKNOWN_TAG`) naming it — never a silent empty string.
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
  return renderTags(template, values, { ...options, unknownTag: (tags, where) => new UnknownTagError(tags, where) });
}
