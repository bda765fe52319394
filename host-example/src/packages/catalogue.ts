import type { CatalogueInfo } from '@plugboard/core';

/**
 * The identity of the hook catalogue this host raises: extension packages name it, with a
 * semver range, in the `plugboard.catalogue` field of their `package.json`.
 */
export const MAIL_CATALOGUE: CatalogueInfo = { name: '@plugboard/mail-catalogue', version: '0.1.0' };
