import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { decodeSecretKey, generateSecretKey, SecretBox } from './secret-box';
import { SecretKeyError } from './secret-errors';

/**
 * Reads a key file: one base64 key per line, the current key first, then older keys still
 * accepted for opening (kept there during a rotation).
 */
export function readKeyFile(file: string): Buffer[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SecretKeyError('PB_SECRET_KEY_INVALID', `The secret key file ${file} cannot be read (${String(cause)}); create it with "secrets key create".`, { cause });
  }
  const keys = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (keys.length === 0) throw new SecretKeyError('PB_SECRET_KEY_INVALID', `The secret key file ${file} holds no key; create one with "secrets key create".`);
  return keys.map((k, i) => decodeSecretKey(k, `Line ${i + 1} of ${file}`));
}

/** Writes a key file atomically, readable by its owner only (mode 0600). */
export function writeKeyFile(file: string, keys: readonly string[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${keys.join('\n')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Creates a key file with a new random key unless it exists; returns whether it created one. */
export function createKeyFile(file: string): boolean {
  if (existsSync(file)) return false;
  writeKeyFile(file, [generateSecretKey()]);
  return true;
}

/**
 * The secret box configured by the environment: `PLUGBOARD_SECRET_KEY` (base64, 32 bytes) or
 * `PLUGBOARD_SECRET_KEY_FILE` (a key file), else `fallbackFile` when given and present.
 * `undefined` when none is configured.
 *
 * @example
 * ```ts
 * const box = secretBoxFromEnv(process.env, './data/secret.key');
 * ```
 */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv, fallbackFile?: string): SecretBox | undefined {
  const inline = env.PLUGBOARD_SECRET_KEY;
  if (inline !== undefined && inline.trim() !== '') return new SecretBox([decodeSecretKey(inline, 'PLUGBOARD_SECRET_KEY')]);
  const file = env.PLUGBOARD_SECRET_KEY_FILE;
  if (file !== undefined && file !== '') return new SecretBox(readKeyFile(file));
  if (fallbackFile !== undefined && existsSync(fallbackFile)) return new SecretBox(readKeyFile(fallbackFile));
  return undefined;
}
