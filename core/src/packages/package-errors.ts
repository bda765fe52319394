import { PlugboardError, type ErrorDetails } from '../errors';

/** Stable codes of {@link ExtensionPackageError}. */
export type ExtensionPackageErrorCode =
  /** The package has no `package.json`, or no `plugboard` field in it. */
  | 'PB_MANIFEST_MISSING'
  /** The `plugboard` field is malformed (each problem named). */
  | 'PB_MANIFEST_INVALID'
  /** The package targets another catalogue, or a version range the host's catalogue is outside of. */
  | 'PB_EXT_INCOMPATIBLE'
  /** An entry module threw while being imported (or has a syntax error). */
  | 'PB_PKG_IMPORT_FAILED'
  /** An entry module imports a package that is not installed. */
  | 'PB_PKG_DEPENDENCY_MISSING'
  /** No entry module exports an extension. */
  | 'PB_PKG_EMPTY'
  /** The package is marked untrusted and the host loads no sandboxed extensions. */
  | 'PB_PKG_UNTRUSTED';

/**
 * A package that cannot be loaded as an extension package; `packageName` names it (or its
 * directory when even the name is unknown).
 *
 * @example
 * ```ts
 * try { await loadExtensionPackage(dir, CATALOGUE); }
 * catch (e) { if (e instanceof ExtensionPackageError) console.error(e.code, e.packageName, e.message); }
 * ```
 */
export class ExtensionPackageError extends PlugboardError {
  declare readonly code: ExtensionPackageErrorCode;
  readonly packageName: string;

  constructor(code: ExtensionPackageErrorCode, packageName: string, message: string, details: ErrorDetails = {}) {
    super(code, message, details);
    this.packageName = packageName;
  }
}
