import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import type { EventContext, HandlerModule } from '@plugboard/core';
import { HandlerFailedError, ScriptHandlerModule, StepScriptRunner } from '@plugboard/scripts';
import { CapturingLogger, ScriptTree } from './support';

let tree: ScriptTree;
let logger: CapturingLogger;

beforeEach(() => {
  tree = new ScriptTree();
  logger = new CapturingLogger();
});

afterEach(() => {
  tree.cleanup();
});

function context(event: string, payload: Record<string, unknown>): EventContext {
  return { eventId: 'evt-42', event, position: 'post', timestamp: new Date('2025-01-01T00:00:00Z'), payload };
}

describe('ScriptHandlerModule', () => {
  it('declares identifier Script with action run and a required str option directory', () => {
    const module: HandlerModule = new ScriptHandlerModule({ logger });
    expect(module.identifier).toBe('Script');
    expect(Object.keys(module.actions)).toEqual(['run']);
    expect(module.actions.run.options.directory).toMatchObject({ type: 'str', required: true });
    expect(module.actions.run.options.timeout.type).toBe('int');
    expect(module.actions.run.options.requireHandler.type).toBe('bool');
    expect(module.conditions).toEqual({});
  });

  it('evaluates no conditions of its own', async () => {
    const module = new ScriptHandlerModule({ logger });
    expect(await module.checkCondition(context('AccountCreated', {}), {})).toBe(true);
  });

  it('runs the kebab-case handler of the event with the context payload on stdin', async () => {
    const base = tree.base('mod');
    tree.step(
      base,
      'account-created',
      '10record',
      `cat > "${tree.file('stdin')}"\nprintf '%s|%s|%s|%s' "$AGENT_EVENT_NAME" "$AGENT_EVENT_SOURCE" "$PLUGBOARD_EVENT_ID" "$PLUGBOARD_EVENT_POSITION" > "${tree.file('env')}"`,
    );
    const module = new ScriptHandlerModule({ logger });

    const outcome = await module.do('run', context('AccountCreated', { username: 'alice@example.org' }), { directory: base });

    expect(JSON.parse(readFileSync(tree.file('stdin'), 'utf8'))).toEqual({ username: 'alice@example.org' });
    expect(readFileSync(tree.file('env'), 'utf8')).toBe('account-created|plugboard|evt-42|post');
    expect(outcome.detail).toMatch(/^handler account-created completed: 1 step\(s\) run, 0 skipped/);
  });

  it('runs the handler named by the event option with the given source', async () => {
    const base = tree.base('mod');
    tree.step(base, 'account-provider-changed', '10record', `printf '%s' "$AGENT_EVENT_SOURCE" > "${tree.file('src')}"`);
    const module = new ScriptHandlerModule({ logger });

    await module.do('run', context('POST /api/domains', {}), { directory: base, event: 'account-provider-changed', source: 'module/ldapproxy1' });

    expect(readFileSync(tree.file('src'), 'utf8')).toBe('module/ldapproxy1');
  });

  it('fails the rule with PB_SCRIPTS_HANDLER_ABORTED when a step exits non-zero', async () => {
    const base = tree.base('mod');
    tree.step(base, 'domain-deleted', '10failing', 'exit 4');
    tree.step(base, 'domain-deleted', '20never', `echo ran > "${tree.file('never')}"`);
    const module = new ScriptHandlerModule({ logger });

    const failure = module.do('run', context('DomainDeleted', {}), { directory: base });

    await expect(failure).rejects.toBeInstanceOf(HandlerFailedError);
    await expect(failure).rejects.toMatchObject({
      code: 'PB_SCRIPTS_HANDLER_ABORTED',
      hook: 'DomainDeleted',
      result: { status: 'aborted', exitCode: 4, lastStep: '10failing' },
    });
    expect(existsSync(tree.file('never'))).toBe(false);
    expect(logger.messages('error')).toContain('Handler of plugboard/event/domain-deleted exited with status "aborted" (4) at step 10failing');
  });

  it('fails the rule with PB_SCRIPTS_HANDLER_TIMEOUT when a step exceeds the timeout option', async () => {
    const base = tree.base('mod');
    tree.step(base, 'slow-thing-happened', '10slow', 'exec sleep 30');
    const module = new ScriptHandlerModule({ runner: new StepScriptRunner({ logger, killGraceMs: 100 }) });

    await expect(module.do('run', context('slow-thing-happened', {}), { directory: base, timeout: '1' })).rejects.toMatchObject({
      code: 'PB_SCRIPTS_HANDLER_TIMEOUT',
      result: { status: 'timeout' },
    });
  });

  it('succeeds doing nothing when there is no handler, unless requireHandler is set', async () => {
    const base = tree.base('mod');
    const module = new ScriptHandlerModule({ logger });
    const ctx = context('AccountCreated', {});

    await expect(module.do('run', ctx, { directory: base })).resolves.toEqual({ detail: `no handler for account-created in ${base}` });
    await expect(module.do('run', ctx, { directory: base, requireHandler: true })).rejects.toMatchObject({ code: 'PB_SCRIPTS_NO_HANDLER' });
  });

  it('refuses an unknown action, a missing or relative directory and mistyped options', async () => {
    const module = new ScriptHandlerModule({ logger });
    const ctx = context('AccountCreated', {});
    const base = tree.base('mod');
    await expect(module.do('sendmail', ctx, { directory: base })).rejects.toMatchObject({ code: 'PB_SCRIPTS_UNKNOWN_ACTION' });
    await expect(module.do('run', ctx, {})).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_OPTIONS' });
    await expect(module.do('run', ctx, { directory: 'relative/dir' })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_OPTIONS' });
    await expect(module.do('run', ctx, { directory: base, timeout: 'soon' })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_OPTIONS' });
    await expect(module.do('run', ctx, { directory: base, requireHandler: 'maybe' })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_OPTIONS' });
    await expect(module.do('run', ctx, { directory: base, event: '../../bin' })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_EVENT_NAME' });
  });

  it('confines directory to allowedDirectories, symlinks resolved', async () => {
    const allowed = tree.base('allowed');
    const outside = tree.base('outside');
    tree.step(outside, 'account-created', '10x', `echo ran > "${tree.file('ran')}"`);
    const link = tree.file('allowed/link-to-outside');
    symlinkSync(outside, link);
    const module = new ScriptHandlerModule({ logger, allowedDirectories: [allowed] });
    const ctx = context('AccountCreated', {});

    await expect(module.do('run', ctx, { directory: outside })).rejects.toMatchObject({ code: 'PB_SCRIPTS_DIRECTORY_NOT_ALLOWED' });
    await expect(module.do('run', ctx, { directory: link })).rejects.toMatchObject({ code: 'PB_SCRIPTS_DIRECTORY_NOT_ALLOWED' });
    await expect(module.do('run', ctx, { directory: `${allowed}/../outside` })).rejects.toMatchObject({ code: 'PB_SCRIPTS_DIRECTORY_NOT_ALLOWED' });
    expect(existsSync(tree.file('ran'))).toBe(false);

    tree.step(allowed, 'account-created', '10x', `echo ran > "${tree.file('ran')}"`);
    await expect(module.do('run', ctx, { directory: allowed })).resolves.toMatchObject({ detail: expect.stringContaining('completed') });
    expect(existsSync(tree.file('ran'))).toBe(true);
  });

  it('shares the runner concurrency bound across rules', async () => {
    const runner = new StepScriptRunner({ logger, maxConcurrent: 1 });
    const module = new ScriptHandlerModule({ runner });
    const base = tree.base('mod');
    tree.step(base, 'account-created', '10record', `echo "$PLUGBOARD_EVENT_ID" >> "${tree.file('ids')}"`);

    await Promise.all(
      ['a', 'b', 'c'].map((id) => module.do('run', { ...context('AccountCreated', {}), eventId: id }, { directory: base })),
    );

    expect(readFileSync(tree.file('ids'), 'utf8')).toBe('a\nb\nc\n');
  });
});
