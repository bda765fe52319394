import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretKeyError } from './secret-errors';

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;

/** Whether a stored text is an encrypted secret (as written by {@link SecretBox.seal}). */
export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

/** A short, stable id of a key (not secret): which key sealed a value. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** A new random key, base64 (what `PLUGBOARD_SECRET_KEY` and key files hold). */
export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Decodes a base64 key; throws `PB_SECRET_KEY_INVALID` unless it is 32 bytes. */
export function decodeSecretKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError('PB_SECRET_KEY_INVALID', `${where} must hold ${KEY_BYTES} random bytes in base64 (got ${key.length} bytes); create one with "secrets key create".`);
  }
  return key;
}

/**
 * Encrypts stored secrets with AES-256-GCM (node:crypto): a random 96-bit IV per value, the
 * 128-bit tag checked on the way back, and the id of the key that sealed it, so a rotation can
 * open values sealed with the previous key while sealing new ones with the current key.
 * Sealed text: `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts).
 *
 * @example
 * ```ts
 * const box = new SecretBox([decodeSecretKey(process.env.PLUGBOARD_SECRET_KEY ?? '', 'PLUGBOARD_SECRET_KEY')]);
 * const stored = box.seal('smtp-password');   // 'enc:v1:…'
 * box.open(stored);                            // 'smtp-password'
 * box.open('legacy plaintext');                // 'legacy plaintext' (not sealed: returned as is)
 * ```
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** Id of the key new values are sealed with. */
  readonly keyId: string;

  /** @param keys the current key first, then older ones still accepted for opening. */
  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new SecretKeyError('PB_SECRET_KEY_MISSING', 'A SecretBox needs at least one key.');
    for (const k of keys) if (k.length !== KEY_BYTES) throw new SecretKeyError('PB_SECRET_KEY_INVALID', `Secret keys are ${KEY_BYTES} bytes; got ${k.length}.`);
    this.keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.keyId = keyIdOf(keys[0]);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId) as Buffer, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.keyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
  }

  /** The plain text of a sealed value; text that is not sealed (from before encryption) is returned as is. */
  open(text: string): string {
    if (!isSealed(text)) return text;
    const [keyId, iv, tag, data] = text.slice(PREFIX.length).split(':');
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new SecretKeyError('PB_SECRET_KEY_MISMATCH', `A stored secret was sealed with key ${keyId}, which is not the configured key (${this.keyId}); set PLUGBOARD_SECRET_KEY(_FILE) to the key the database was written with.`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SecretKeyError('PB_SECRET_KEY_MISMATCH', `A stored secret sealed with key ${keyId} does not decrypt: it was altered, or the key file is not the one it was written with.`, { cause });
    }
  }

  /** Whether this text is sealed with another key than the current one (to re-seal after a rotation). */
  needsReseal(text: string): boolean {
    return !isSealed(text) || !text.startsWith(`${PREFIX}${this.keyId}:`);
  }
}

/**
 * Opens a stored value with an optional box: plaintext passes; a sealed value without a box is
 * `PB_SECRET_KEY_MISSING` (the message says how to give the key).
 */
export function openStored(box: SecretBox | undefined, text: string, what: string): string {
  if (box !== undefined) return box.open(text);
  if (isSealed(text)) {
    throw new SecretKeyError('PB_SECRET_KEY_MISSING', `${what} is encrypted, but no secret key was given; set PLUGBOARD_SECRET_KEY or PLUGBOARD_SECRET_KEY_FILE to the key it was written with.`);
  }
  return text;
}

/** Seals a value to store it when a box is given; plaintext otherwise (libraries used without a key). */
export function sealStored(box: SecretBox | undefined, text: string): string {
  return box === undefined ? text : box.seal(text);
}
