/**
 * The CLI saves rules through the same validation as the API: rules that can never work are
 * refused with the field named. It never builds the API, so API route names are not checked there.
 */
import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { tempDir } from './helpers';

describe('CLI: rules that can never work are refused at save', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'cli-validation.sqlite');
  const env = { ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'silent' };

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [], out: (l) => lines.push(l), env }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines;
  }

  it('refuses a misspelt event, suggesting the event meant', async () => {
    await expect(cli('rules', 'create', '--name', 'typo', '--event', 'AccountCreatd', '--module', 'Logger', '--action', 'log', '--option', 'message=x')).rejects.toThrow(
      /events\.0: unknown event "AccountCreatd" \(did you mean AccountCreated\?\)/,
    );
  });

  it('refuses To "email" with no To email address', async () => {
    await cli('smtp', 'add', 'relay', '--host', '127.0.0.1', '--port', '2525', '--sender', 'pb@example.org', '--security', 'none');
    await expect(
      cli('rules', 'create', '--name', 'mail', '--event', 'AccountCreated', '--module', 'UserNotification', '--action', 'sendmail', '--option', 'To=email', '--option', 'emailconfig=relay'),
    ).rejects.toThrow(/options\.To email: is required when To is "email"/);
  });

  it('accepts an API route event, which only the running API can check', async () => {
    expect(await cli('rules', 'create', '--name', 'api', '--event', 'POST /api/domains', '--module', 'Logger', '--action', 'log', '--option', 'message=x')).toEqual(
      expect.arrayContaining([expect.stringContaining('api')]),
    );
  });
});
