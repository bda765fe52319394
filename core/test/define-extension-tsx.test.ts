/**
 * defineExtension works under tsx, which compiles with esbuild and emits no decorator metadata:
 * the most common way to run TypeScript without a build step.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('defineExtension under tsx', () => {
  it('installs, injects and dispatches with no emitted decorator metadata', async () => {
    const root = join(__dirname, '..', '..');
    const { stdout } = await run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, 'fixtures', 'tsx-extension.ts')], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      sent: ['ann@example.org'],
      menu: [{ name: 'welcome', label: 'Welcome', url: '/welcome' }],
      metadata: null,
    });
  });
});
