import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { extension, observe } from '@plugboard/core';
import { buildCli } from '../src/cli';
import { hostHooks } from '../src/hooks';
import type { Domain, User } from '../src/model';
import { verifyPassword } from '../src/passwords';
import { tempDir } from './helpers';

/** The announcements extensions observed, in order. */
const observed: string[] = [];

@extension({ name: 'import-watch', version: '1.0.0', description: 'Notes the announcements of imported objects.' })
class ImportWatchExtension {
  @observe(hostHooks.DomainCreated)
  async domain(_by: User, d: Domain): Promise<void> {
    observed.push(`DomainCreated:${d.name}`);
  }

  @observe(hostHooks.AccountImported)
  async account(_by: User, a: User): Promise<void> {
    observed.push(`AccountImported:${a.username}`);
  }
}

describe('CLI import and export', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const env = { ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'silent' };
  let db = '';
  beforeEach(() => {
    db = join(tmp.dir, `${expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'db'}.sqlite`);
    observed.length = 0;
  });

  async function cli(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await buildCli({ extensions: [ImportWatchExtension], out: (l) => lines.push(l), env }).parseAsync(['node', 'main', '--db', db, ...args]);
    return lines.filter((l) => !/^ {2}|^$/.test(l));
  }
  function file(name: string, text: string): string {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  }
  const badFile = (): string =>
    file(
      'bad.csv',
      [
        'domain; bulk.test; 10; true',
        'account; short@bulk.test',
        'account; weak@bulk.test; short; W; K; true; SimpleUsers; weak@bulk.test; 10',
        'account; good@bulk.test; password-good; G; D; true; SimpleUsers; good@bulk.test; 10',
      ].join('\n'),
    );

  it('imports nothing when any row is bad, listing every bad row with its line and field, and no extension hears of the rolled-back rows', async () => {
    const error = (await cli('import', badFile()).catch((e: unknown) => e)) as Error & { rows?: { line: number; field?: string }[] };
    expect(error.message).toContain('Nothing was imported: 2 row(s) are bad');
    expect(error.message).toContain('csv line 2: expected 9 columns, got 2');
    expect(error.message).toMatch(/csv line 3: Invalid "password": use at least 8 characters/);
    expect(error.rows).toEqual([expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 3, field: 'password' })]);
    expect(await cli('domains', 'list')).toEqual([]);
    expect(await cli('accounts', 'list')).toEqual(['admin\tSuperAdmins\t-']);
    expect(observed).toEqual([]);
  });

  it('reports a row with missing columns by its column count, not by the first empty field', async () => {
    await expect(cli('import', file('short.csv', 'account; joe@x.test\n'))).rejects.toThrow('csv line 1: expected 9 columns, got 2');
  });

  it('with --continue-on-error imports the good rows, lists those it left out, and announces only the committed ones', async () => {
    const lines = await cli('import', badFile(), '--continue-on-error');
    expect(lines).toEqual([
      'imported 2 record(s), skipped 0, rejected 2',
      expect.stringMatching(/^rejected csv line 2: expected 9 columns, got 2/),
      expect.stringMatching(/^rejected csv line 3: Invalid "password"/),
    ]);
    expect(await cli('accounts', 'list')).toEqual(['admin\tSuperAdmins\t-', 'good@bulk.test\tSimpleUsers\tgood@bulk.test']);
    expect(observed).toEqual(['DomainCreated:bulk.test', 'AccountImported:good@bulk.test']);
  });

  it('exports accounts without password hashes unless --include-passwords (SuperAdmins only), and a hashless export imports as locked accounts', async () => {
    await cli('import', file('one.csv', 'domain; exp.test; 10; true\naccount; ann@exp.test; password-ann; Ann; Lee; true; DomainAdmins; ann@exp.test; 10\n'));
    const [plain] = await cli('export', 'accounts');
    expect(plain.split('\n')).toEqual(['account;admin;;Admin;;true;SuperAdmins;;0', 'account;ann@exp.test;;Ann;Lee;true;DomainAdmins;ann@exp.test;10']);
    const [full] = await cli('export', 'accounts', '--include-passwords');
    expect(full).toMatch(/^account;ann@exp\.test;scrypt\$/m);
    await expect(cli('--as', 'ann@exp.test', 'export', 'accounts', '--include-passwords')).rejects.toThrow(/Only SuperAdmins can export password hashes/);

    db = join(tmp.dir, 'reimport.sqlite');
    await cli('domains', 'create', 'exp.test');
    expect(await cli('import', file('plain.csv', plain.split('\n')[1]))).toEqual(['imported 1 record(s), skipped 0']);
    const { createHost } = await import('../src/host');
    const host = await createHost({ dbFile: db, deliver: false, logger: 'silent', extensions: [] });
    try {
      const ann = await host.repo.userByName('ann@exp.test');
      expect(ann && (await host.repo.passwordHash(ann.id))).toBe('!');
      expect(await verifyPassword('', '!')).toBe(false);
    } finally {
      await host.close();
    }
  });

  it('runs two imports started together on one host one after the other, each in its own transaction', async () => {
    const { createHost } = await import('../src/host');
    const host = await createHost({ dbFile: join(tmp.dir, 'together.sqlite'), deliver: false, logger: 'silent', extensions: [], admin: { password: 'admin-password-1' } });
    try {
      const admin = await host.repo.userByName('admin');
      if (admin === undefined) throw new Error('no admin');
      const csv = host.service.resources.importExport;
      const [a, b] = await Promise.allSettled([csv.importCsv(admin, 'domain; one.test; 0; true\n'), csv.importCsv(admin, 'domain; two.test; 0; true\naccount; x@two.test\n')]);
      expect(a).toEqual({ status: 'fulfilled', value: { imported: 1, skipped: 0 } });
      expect(b).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('csv line 2: expected 9 columns, got 2') } });
      expect((await host.repo.domains()).map((d) => d.name)).toEqual(['one.test']);
    } finally {
      await host.close();
    }
  });
});
