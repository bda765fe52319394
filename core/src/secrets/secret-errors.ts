import { PlugboardError } from '../errors';

/** Stable codes of {@link SecretKeyError}. */
export type SecretKeyErrorCode =
  /** The database holds encrypted secrets but no key was given. */
  | 'PB_SECRET_KEY_MISSING'
  /** A secret was encrypted with a key that is not among the given ones (or was tampered with). */
  | 'PB_SECRET_KEY_MISMATCH'
  /** The key given is not 32 bytes of base64 (or the key file cannot be read). */
  | 'PB_SECRET_KEY_INVALID';

/**
 * A problem with the key that encrypts stored secrets.
 *
 * @example
 * ```ts
 * try { box.open(stored); } catch (e) { if (e instanceof SecretKeyError) console.error(e.code, e.message); }
 * ```
 */
export class SecretKeyError extends PlugboardError {
  declare readonly code: SecretKeyErrorCode;

  constructor(code: SecretKeyErrorCode, message: string, details: { cause?: unknown } = {}) {
    super(code, message, details);
  }
}
