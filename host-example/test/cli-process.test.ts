import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './helpers';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const run = promisify(execFile);

/** Runs the built CLI (`npm run build` first); resolves with its outputs and exit code, whatever the code. */
async function cli(db: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = { ...process.env, ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'warn' };
  try {
    const r = await run(process.execPath, [MAIN, '--db', db, ...args], { env });
    return { ...r, code: 0 };
  } catch (e) {
    const { stdout, stderr, code } = e as { stdout: string; stderr: string; code: number };
    return { stdout, stderr, code };
  }
}

/** Runs the built CLI in a pseudo-terminal (util-linux `script`), so its stdout and stderr are a TTY. */
async function cliInTerminal(db: string, ...args: string[]): Promise<string> {
  const command = [process.execPath, MAIN, '--db', db, ...args].map((a) => `'${a}'`).join(' ');
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ADMIN_PASSWORD: 'cli-admin-pass', LOG_LEVEL: 'warn', TERM: 'xterm' } });
  return stdout;
}

describe('the CLI as a process', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('prints a pre rule refusal as one error line without a stack, exits 1, and logs it as a warning without err.stack', async () => {
    const db = join(tmp.dir, 'refusal.sqlite');
    const rule = { name: 'no test domains', position: 'pre', events: ['POST /api/domains'], handlerModule: 'HostPolicy', action: 'deny', options: { reason: 'test domains are not hosted here' }, conditions: { payload_match: 'name=\\.test$' } };
    expect((await cli(db, 'rules', 'create', '--json', JSON.stringify(rule))).code).toBe(0);
    const r = await cli(db, 'domains', 'create', 'cli.test');
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    const printed = lines.filter((l) => !l.startsWith('{'));
    expect(printed).toEqual([expect.stringMatching(/^error: Rule "no test domains" \(id 1\) aborted event "POST \/api\/domains": test domains are not hosted here/)]);
    const logged = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; err?: unknown; reason?: string });
    expect(logged).toEqual([expect.objectContaining({ level: 40, reason: 'test domains are not hosted here' })]);
    expect(logged[0].err).toBeUndefined();
  });

  it('exits 1 with one error line for invalid input, and documents the exit codes in --help', async () => {
    const db = join(tmp.dir, 'invalid.sqlite');
    const r = await cli(db, 'domains', 'create', 'not a domain');
    expect({ code: r.code, stderr: r.stderr.trim() }).toEqual({ code: 1, stderr: 'error: Invalid "name": "not a domain" is not a valid domain name.' });
    expect((await cli(db, '--help')).stdout).toMatch(/Exit codes:\n\s+0\s+done\n\s+1\s+refused.*\n(.*\n)*\s+70\s+unexpected failure/);
  });

  it('draws a progress bar for an import and pretty logs on a terminal, and only the summary line in a pipe', async () => {
    // A directory of its own: the secret key file is created next to the database, once per directory.
    const db = join(mkdtempSync(join(tmp.dir, 'progress-')), 'progress.sqlite');
    const csv = join(tmp.dir, 'progress.csv');
    writeFileSync(csv, ['domain; bar.test; 0; true', ...Array.from({ length: 7 }, (_, i) => `account; u${i}@bar.test; password-u${i}; U; ${i}; true; SimpleUsers; u${i}@bar.test; 10`)].join('\n'));
    const terminal = await cliInTerminal(db, 'import', csv);
    expect(terminal).toMatch(/import \[[█░]+\] 100% \| 8\/8 rows/);
    expect(terminal).toContain('imported 8 record(s), skipped 0');
    // The new database's first start warns about the secret key file it created: a readable line, not JSON.
    expect(terminal).toMatch(/WARN.*Created the secret key/);
    expect(terminal).not.toContain('{"level"');
    const piped = await cli(db, 'import', csv, '--continue-if-exists');
    expect(piped.stdout).toBe('imported 0 record(s), skipped 8\n');
  });
});
