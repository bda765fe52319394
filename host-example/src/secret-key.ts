import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createKeyFile, readKeyFile, SecretBox, SecretKeyError, secretBoxFromEnv } from '@plugboard/core';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';

/** Where `serve` keeps the key when none is configured: next to the database, never inside it. */
export function defaultKeyFile(dbFile: string): string {
  return join(dirname(dbFile), 'secret.key');
}

// Tables whose rows carry sealed secrets, and the column that shows it.
const SEALED: readonly [table: string, column: string][] = [
  ['notify_smtp_config', 'data'],
  ['notify_sms_gateway', 'data'],
  ['notify_email_hooks', 'data'],
  ['webhooks_endpoints', 'url'],
];

/** Whether the database already holds secrets sealed with some key. */
export function holdsSealedSecrets(sql: Database.Database): boolean {
  return SEALED.some(([table, column]) => {
    const exists = sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    return exists && sql.prepare(`SELECT 1 FROM ${table} WHERE ${column} LIKE 'enc:%' LIMIT 1`).get() !== undefined;
  });
}

/**
 * The key of hosts sharing one PostgreSQL database: every host reads the secrets another sealed,
 * so the key must be the same everywhere and come from the environment, never a per-host file.
 */
export function sharedSecretBox(env: NodeJS.ProcessEnv = process.env): SecretBox {
  const box = secretBoxFromEnv(env);
  if (box !== undefined) return box;
  throw new SecretKeyError(
    'PB_SECRET_KEY_MISSING',
    'On PostgreSQL every host reads the SMTP, SMS, webhook and email-hook secrets the others sealed: set PLUGBOARD_SECRET_KEY (or PLUGBOARD_SECRET_KEY_FILE) to the same key for each host. `openssl rand -base64 32` makes one.',
  );
}

/**
 * The key that seals the host's stored secrets: `PLUGBOARD_SECRET_KEY` or
 * `PLUGBOARD_SECRET_KEY_FILE`, else `secret.key` next to the database. On a database that holds
 * no sealed secret yet, that file is created (mode 0600) and the operator told once; on one that
 * does, a missing key is `PB_SECRET_KEY_MISSING` — a new key could not open them.
 *
 * @example
 * ```ts
 * const box = hostSecretBox(db.sql, './data/plugboard.sqlite', logger);
 * ```
 */
export function hostSecretBox(sql: Database.Database, dbFile: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): SecretBox {
  // An in-memory database keeps nothing: a key for this process only.
  if (dbFile === ':memory:') return secretBoxFromEnv(env) ?? new SecretBox([randomBytes(32)]);
  const keyFile = defaultKeyFile(dbFile);
  const box = secretBoxFromEnv(env, keyFile);
  if (box !== undefined) return box;
  if (holdsSealedSecrets(sql)) {
    throw new SecretKeyError(
      'PB_SECRET_KEY_MISSING',
      `${dbFile} holds encrypted secrets, but no key was found: set PLUGBOARD_SECRET_KEY or PLUGBOARD_SECRET_KEY_FILE, or put the key file back at ${keyFile}.`,
    );
  }
  createKeyFile(keyFile);
  logger.warn({ keyFile }, `Created the secret key ${keyFile} that encrypts stored SMTP, SMS, webhook and email-hook secrets. Back it up apart from the database: without it they cannot be read.`);
  return new SecretBox(readKeyFile(keyFile));
}
