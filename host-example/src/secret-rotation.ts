import { decodeSecretKey, generateSecretKey, keyIdOf, readKeyFile, SecretBox, writeKeyFile } from '@plugboard/core';
import { EmailHookStore, NotifyConfigStore } from '@plugboard/notify';
import { EndpointStore } from '@plugboard/webhooks';
import Database from 'better-sqlite3';

/** What {@link rotateSecretKey} did. */
export interface RotationResult {
  readonly oldKeyId: string;
  readonly newKeyId: string;
}

/**
 * Replaces the key that seals stored secrets: a new key is written first beside the old one
 * (so a crash part-way leaves every secret readable), every sealed row is re-sealed with the
 * new key in one transaction, then the old key is dropped from the file.
 *
 * @example
 * ```ts
 * const { newKeyId } = rotateSecretKey('./data/plugboard.sqlite', './data/secret.key');
 * ```
 */
export function rotateSecretKey(dbFile: string, keyFile: string): RotationResult {
  const old = readKeyFile(keyFile);
  const fresh = generateSecretKey();
  writeKeyFile(keyFile, [fresh, ...old.map((k) => k.toString('base64'))]);
  const box = new SecretBox([decodeSecretKey(fresh, keyFile), ...old]);
  const sql = new Database(dbFile);
  try {
    // The stores re-seal what the current key did not seal when opened with it; one outer
    // transaction makes that all or nothing across the three of them.
    sql.transaction(() => {
      NotifyConfigStore.openSync({ database: sql, secrets: box });
      EmailHookStore.openSync({ database: sql, secrets: box });
      new EndpointStore(sql, { secrets: box });
    })();
  } finally {
    sql.close();
  }
  writeKeyFile(keyFile, [fresh]);
  return { oldKeyId: keyIdOf(old[0]), newKeyId: box.keyId };
}
