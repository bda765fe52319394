import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogueInfo } from '@plugboard/core';

// The package's own version is the catalogue's (lerna bumps it): read from the package.json next to
// src/ and dist/ alike, so the two never disagree.
const { name, version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as CatalogueInfo;

/**
 * This catalogue's identity: extension packages name it, with a semver range of its versions, in
 * the `plugboard.catalogue` field of their `package.json`; the host refuses a package whose range
 * excludes this version.
 *
 * @example
 * ```ts
 * await loadExtensionPackage(dir, MAIL_CATALOGUE); // { name: '@plugboard/mail-catalogue', version: '0.1.0' }
 * ```
 */
export const MAIL_CATALOGUE: CatalogueInfo = { name, version };
