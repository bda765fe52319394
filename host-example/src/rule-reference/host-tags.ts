import type { TagDoc } from '@plugboard/rules';

/** privacyIDEA's token tags: the notification module keeps them, but this host has no tokens, so they are always empty. */
export const TOKEN_TAGS: readonly string[] = ['serial', 'tokentype', 'tokentyp', 'registrationcode'];

/** The sentence that replaces the token tags wherever the host lists tags. */
export const TOKEN_TAGS_NOTE = `privacyIDEA's token tags (${TOKEN_TAGS.map((t) => `{${t}}`).join(', ')}) are accepted but always empty here: this host has no tokens.`;

/**
 * The tags worth offering in this host: a module's tags without the token tags.
 *
 * @example
 * ```ts
 * hostTags(NOTIFICATION_TAG_DOCS).some((t) => t.name === 'serial'); // false
 * ```
 */
export function hostTags(tags: readonly TagDoc[]): TagDoc[] {
  return tags.filter((t) => !TOKEN_TAGS.includes(t.name));
}
