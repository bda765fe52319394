/**
 * Symlinks inside `events/` may point at shared step scripts within the handler's base directory,
 * but never out of it: whoever can drop a symlink there must not make the host run any file.
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { StepScriptRunner } from '@plugboard/scripts';
import { CapturingLogger, ScriptTree } from './support';

let tree: ScriptTree;
beforeEach(() => {
  tree = new ScriptTree();
});
afterEach(() => {
  tree.cleanup();
});

describe('step scripts and symlinks', () => {
  it('refuses a step that is a symlink to a file outside the handler directory, running no step at all', async () => {
    const base = tree.base('mod');
    const outsider = tree.step(tree.base('elsewhere'), 'x', 'evil', `touch "${tree.file('evil-ran')}"`);
    tree.step(base, 'account-created', '10first', `touch "${tree.file('first-ran')}"`);
    symlinkSync(outsider, path.join(base, 'events', 'account-created', '20evil'));
    const runner = new StepScriptRunner({ directories: [base], logger: new CapturingLogger() });

    await expect(runner.run('account-created', {})).rejects.toMatchObject({ code: 'PB_SCRIPTS_OUTSIDE_HANDLER', message: expect.stringContaining('20evil') });
    expect(existsSync(tree.file('evil-ran'))).toBe(false);
    expect(existsSync(tree.file('first-ran'))).toBe(false);
  });

  it('refuses a handler directory that is itself a symlink leading outside', async () => {
    const base = tree.base('mod');
    const outside = tree.base('elsewhere');
    tree.step(outside, 'pwn', '10step', `touch "${tree.file('ran')}"`);
    mkdirSync(path.join(base, 'events'), { recursive: true });
    symlinkSync(path.join(outside, 'events', 'pwn'), path.join(base, 'events', 'account-created'));
    const runner = new StepScriptRunner({ directories: [base], logger: new CapturingLogger() });

    await expect(runner.run('account-created', {})).rejects.toMatchObject({ code: 'PB_SCRIPTS_OUTSIDE_HANDLER' });
    expect(existsSync(tree.file('ran'))).toBe(false);
  });

  it('still runs a step that is a symlink to a shared script inside the base directory', async () => {
    const base = tree.base('mod');
    const shared = tree.step(base, 'shared', 'notify', `touch "${tree.file('shared-ran')}"`);
    mkdirSync(path.join(base, 'events', 'account-created'), { recursive: true });
    symlinkSync(shared, path.join(base, 'events', 'account-created', '10notify'));
    const runner = new StepScriptRunner({ directories: [base], logger: new CapturingLogger() });

    expect((await runner.run('account-created', {})).status).toBe('completed');
    expect(existsSync(tree.file('shared-ran'))).toBe(true);
  });
});
