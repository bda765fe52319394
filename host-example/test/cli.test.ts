import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { buildCli } from '../src/cli';
import { AuditLogExtension } from '../src/extensions/audit-log';
import { LimitsExtension } from '../src/extensions/limits';
import { createHost, type Host } from '../src/host';
import { tempDir } from './helpers';

describe('CLI', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const db = join(tmp.dir, 'cli.sqlite');
  const env = { ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'silent' };

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [LimitsExtension, AuditLogExtension], out: (l) => lines.push(l), env }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines;
  }

  it('runs the API operations in-process on the database, firing hooks, and serve exposes the same data', async () => {
    const first = await cli('domains', 'create', 'cli.test', '--quota', '50');
    expect(first).toContain('    username: admin');
    expect(first).toContain('    password: cli-admin-pass');
    expect(first).toContain('created domain cli.test (id 1)');
    expect(await cli('accounts', 'create', 'joe@cli.test', '--password', 'password-joe')).toEqual(['created account joe@cli.test (id 2, SimpleUsers)']);
    expect(await cli('domains', 'list')).toEqual(['domain\tcli.test']);
    expect(await cli('accounts', 'list')).toEqual(['admin\tSuperAdmins\t-', 'joe@cli.test\tSimpleUsers\tjoe@cli.test']);
    expect(await cli('extensions', 'disable', 'limits')).toEqual(['limits\tdisabled']);
    // Each line carries the health figures every process (this CLI's earlier runs included) counted.
    const [limitsLine, auditLine] = await cli('extensions', 'list');
    expect(limitsLine).toMatch(/^limits\t1\.0\.0\tdisabled\t/);
    expect(auditLine).toMatch(/^audit-log\t1\.0\.0\tenabled\t\d+ calls, 0 errors, 0 timeouts, 0 invalid, avg \d+\.\d ms, p99 \d+\.\d ms$/);

    const csv = join(tmp.dir, 'import.csv');
    writeFileSync(csv, 'domain; imported.test; 10; true\naccount; kim@imported.test; password-kim; Kim; Lee; true; SimpleUsers; kim@imported.test; 10\n');
    expect(await cli('import', csv)).toEqual(['imported 2 record(s), skipped 0']);
    expect(await cli('import', csv, '--continue-if-exists')).toEqual(['imported 0 record(s), skipped 2']);
    const exported = await cli('export', 'domains');
    expect(exported).toEqual(['domain;cli.test;50;true\ndomain;imported.test;10;true']);
    expect(await cli('accounts', 'delete', 'joe@cli.test')).toEqual(['deleted account joe@cli.test']);
    await expect(cli('--as', 'kim@imported.test', 'domains', 'create', 'nope.test')).rejects.toThrow(/cannot create domains/);

    // The same database served over HTTP: hooks fired by the CLI are in the audit log.
    let host: Host | undefined;
    let url = '';
    await buildCli({ extensions: [LimitsExtension, AuditLogExtension], out: () => undefined, env, onServing: (h, u) => ((host = h), (url = u)) }).parseAsync([
      'node', 'main', '--db', db, 'serve', '--port', '0',
    ]);
    try {
      const login = (await (await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'cli-admin-pass' }) })).json()) as { token: string };
      const headers = { authorization: `Bearer ${login.token}` };
      const ext = (await (await fetch(`${url}/api/extensions`, { headers })).json()) as { extensions: { name: string; state: string }[] };
      expect(ext.extensions.map((e) => `${e.name}:${e.state}`)).toEqual(['limits:disabled', 'audit-log:enabled']);
      const log = (await (await fetch(`${url}/api/ext/audit-log/entries?limit=1000`, { headers })).json()) as { entries: { hook: string }[] };
      const hooks = log.entries.map((e) => e.hook);
      expect(hooks).toEqual(expect.arrayContaining(['DomainCreated', 'AccountCreated', 'AccountImported', 'AccountDeleted', 'MailboxDeleted', 'ExtDisabled']));
    } finally {
      await host?.close();
    }
  });

  it('opens the database of a process that does not deliver (one-shot commands) without a checkpoint thread; a delivering one keeps it', async () => {
    const oneShot = await createHost({ dbFile: join(tmp.dir, 'modes.sqlite'), deliver: false, logger: 'silent', extensions: [] });
    const serving = await createHost({ dbFile: join(tmp.dir, 'modes.sqlite'), logger: 'silent', extensions: [] });
    try {
      expect(oneShot.db.checkpoints).toBe('sqlite');
      expect(serving.db.checkpoints).toBe('background');
    } finally {
      await oneShot.close();
      await serving.close();
    }
  });
});
