import { satisfies } from 'semver';
import { ExtensionPackageError } from './package-errors';
import type { ExtensionManifest } from './manifest';

/** A host catalogue's identity: extension packages name it and a range of its versions. */
export interface CatalogueInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * Refuses a package written for another catalogue, or for versions of this one that exclude
 * the host's (as VS Code does with `engines.vscode`).
 *
 * @throws ExtensionPackageError `PB_EXT_INCOMPATIBLE`, naming both catalogues.
 * @example
 * ```ts
 * checkCompatibility(manifest, { name: '@plugboard/mail-catalogue', version: '0.1.0' });
 * ```
 */
export function checkCompatibility(manifest: ExtensionManifest, host: CatalogueInfo): void {
  const wanted = manifest.catalogue;
  const who = `${manifest.packageName}@${manifest.packageVersion}`;
  if (wanted.name !== host.name) {
    throw new ExtensionPackageError(
      'PB_EXT_INCOMPATIBLE',
      manifest.packageName,
      `${who} is written for catalogue ${wanted.name} ${wanted.range}, but this host raises ${host.name} ${host.version}; install an extension made for ${host.name}.`,
    );
  }
  if (!satisfies(host.version, wanted.range, { includePrerelease: true })) {
    throw new ExtensionPackageError(
      'PB_EXT_INCOMPATIBLE',
      manifest.packageName,
      `${who} needs ${wanted.name} ${wanted.range}, but this host raises ${host.name} ${host.version}; install a version of the extension made for ${host.version}.`,
    );
  }
}
