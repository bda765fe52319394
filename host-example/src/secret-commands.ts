import { createKeyFile } from '@plugboard/core';
import type { Command } from 'commander';
import { HostError } from './errors';
import { defaultKeyFile } from './secret-key';
import { rotateSecretKey } from './secret-rotation';
import { withExamples } from './cli/help-examples';

/**
 * `secrets key create` and `secrets key rotate`: the key that seals stored secrets, kept outside
 * the database. They work on the key file and the database directly, without opening a host.
 */
export function registerSecretCommands(program: Command, deps: { env: NodeJS.ProcessEnv; out: (line: string) => void }): void {
  const { env, out } = deps;
  const dbFile = (): string => program.opts<{ db: string }>().db;
  const key = withExamples(
    program.command('secrets').description('the key that encrypts stored SMTP, SMS, webhook and email-hook secrets'),
    'secrets key create',
    'secrets key rotate --file /etc/plugboard/secret.key',
  )
    .command('key')
    .description('create or rotate the secret key (kept outside the database)');
  const keyFileOf = (file?: string): string => {
    if (file !== undefined) return file;
    if (env.PLUGBOARD_SECRET_KEY !== undefined && env.PLUGBOARD_SECRET_KEY !== '') {
      throw new HostError('PB_HOST_INVALID', 'The key is given inline in PLUGBOARD_SECRET_KEY; keep it in a file (PLUGBOARD_SECRET_KEY_FILE) to create or rotate it here.', { field: 'PLUGBOARD_SECRET_KEY' });
    }
    return env.PLUGBOARD_SECRET_KEY_FILE ?? defaultKeyFile(dbFile());
  };
  const fileOption = ['--file <path>', 'key file (default: PLUGBOARD_SECRET_KEY_FILE, else secret.key next to the database)'] as const;
  key
    .command('create')
    .description('write a new random key file (refused when one exists)')
    .option(...fileOption)
    .action((o: { file?: string }) => {
      const file = keyFileOf(o.file);
      if (!createKeyFile(file)) throw new HostError('PB_HOST_CONFLICT', `${file} exists already; rotate it with "secrets key rotate" instead.`, { field: 'file' });
      out(`created ${file} (mode 0600); back it up apart from the database`);
    });
  key
    .command('rotate')
    .description('replace the key and re-encrypt every stored secret in one transaction')
    .option(...fileOption)
    .action((o: { file?: string }) => {
      const file = keyFileOf(o.file);
      const { oldKeyId, newKeyId } = rotateSecretKey(dbFile(), file);
      out(`rotated ${file}: key ${oldKeyId} replaced by ${newKeyId}; every stored secret re-encrypted`);
    });
}
