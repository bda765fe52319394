/**
 * The extension template's own test passes under node's test runner with tsx, as its README says.
 * Building it, packing it and adding it to a running host is test/extension-packages.test.ts.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const TEMPLATE = join(ROOT, 'examples', 'extension-template');

describe('the extension template', () => {
  it('passes its own test (node --test under tsx)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--test', 'test/hello.test.ts'], { cwd: TEMPLATE });
    expect(stdout).toMatch(/# pass 1/);
  });
});
