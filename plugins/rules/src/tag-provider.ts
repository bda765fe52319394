import type { HandlerModule } from '@plugboard/core';
import type { TagDoc } from './event-tags';

/**
 * A module whose actions render `{tag}` templates says which tags it provides besides the event's
 * payload fields, so forms and generated docs list exactly the tags that the action renders.
 *
 * @example
 * ```ts
 * class Pager extends BaseHandlerModule implements TagProvider {
 *   templateTagsOf(): readonly TagDoc[] { return EVENT_TAGS; }
 * }
 * ```
 */
export interface TagProvider {
  /** The tags `action`'s templates may use besides payload fields; empty when it renders none. */
  templateTagsOf(action: string): readonly TagDoc[];
}

/**
 * True when `module` declares its template tags.
 *
 * @example
 * ```ts
 * if (hasTagProvider(module)) console.log(module.templateTagsOf('log').map((t) => t.name));
 * ```
 */
export function hasTagProvider(module: HandlerModule): module is HandlerModule & TagProvider {
  return typeof (module as Partial<TagProvider>).templateTagsOf === 'function';
}
