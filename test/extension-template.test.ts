/**
 * The extension template works as its README says: its own test passes under node's test runner
 * with tsx, it builds with tsc, and the built package is accepted by the host's `extensions add`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const TEMPLATE = join(ROOT, 'examples', 'extension-template');

describe('the extension template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes its own test (node --test under tsx)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--test', 'test/hello.test.ts'], { cwd: TEMPLATE });
    expect(stdout).toMatch(/# pass 1/);
  });

  it('builds, and the host adds it as a package with its extension loaded', async () => {
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', TEMPLATE]);
    const env = { ...process.env, ADMIN_PASSWORD: 'template-admin-pw', LOG_LEVEL: 'warn', PLUGBOARD_EXTENSIONS: '' };
    const { stdout } = await run(process.execPath, [join(ROOT, 'host-example', 'dist', 'main.js'), '--db', join(dir, 'host.sqlite'), 'extensions', 'add', TEMPLATE], { env });
    expect(stdout).toContain('added package plugboard-extension-hello 0.1.0: loaded (hello)');
  }, 60_000);
});
