/** The mobile number through the CLI (`accounts create --mobile`) and CSV export/import. */
import { join } from 'node:path';
import { buildCli } from '../src/cli';
import { ADMIN_PASSWORD, start, tempDir } from './helpers';

describe('mobile numbers in the CLI and CSV', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'cli.sqlite');

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [], out: (l) => lines.push(l), env: { ADMIN_PASSWORD, LOG_LEVEL: 'silent' } }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines;
  }

  it('creates an account with --mobile, exports it as a trailing mobile= field and imports it back', async () => {
    await cli('domains', 'create', 'cli.test');
    expect(await cli('accounts', 'create', 'joe@cli.test', '--password', 'password-joe', '--mobile', '+44 7700 900123')).toEqual(['created account joe@cli.test (id 2, SimpleUsers)']);
    await expect(cli('accounts', 'create', 'bad@cli.test', '--password', 'password-bad', '--mobile', '07700 900123')).rejects.toMatchObject({ field: 'mobile' });

    const csv = (await cli('export', 'accounts')).join('\n');
    const joe = csv.split('\n').find((l) => l.startsWith('account;joe@cli.test;')) ?? '';
    expect(joe.split(';').at(-1)).toBe('mobile=+447700900123');
    // An account without a number keeps the line it had before mobile numbers existed.
    const admin = csv.split('\n').find((l) => l.startsWith('account;admin;')) ?? '';
    expect(admin.split(';')).toHaveLength(9);

    const api = await start(join(tmp.dir, 'import.sqlite'), []);
    try {
      const token = await api.login('admin', ADMIN_PASSWORD);
      expect((await api.req('POST', '/api/domains', { token, body: { name: 'cli.test' } })).status).toBe(201);
      const imported = await api.req('POST', '/api/import', { token, body: { csv: `${joe}\naccount;old@cli.test;password-old;Old;Line;true;SimpleUsers;old@cli.test;0\n` } });
      expect(imported.body).toEqual({ imported: 2, skipped: 0 });
      const { accounts } = (await api.req('GET', '/api/accounts', { token })).body as { accounts: { account: { username: string; mobile: string } }[] };
      const mobiles = Object.fromEntries(accounts.map(({ account }) => [account.username, account.mobile]));
      expect(mobiles).toMatchObject({ 'joe@cli.test': '+447700900123', 'old@cli.test': '' });
    } finally {
      await api.stop();
    }
  });
});
