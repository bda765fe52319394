import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HookBus, defineHooks, notify, notifyAsync, collectAsync, type SpecsOfCatalogue } from '@plugboard/core';
import { bindStepScripts, HandlerFailedError, StepScriptRunner, type ScriptsError } from '@plugboard/scripts';
import { CapturingLogger, ScriptTree } from './support';

interface Account {
  readonly username: string;
  readonly password: string;
}

const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: Account, byAdmin: string]>(),
  DomainDeleted: notifyAsync<[domain: string]>(),
  Tick: notify<[n: number]>(),
  UserMenuDisplay: collectAsync<[target: string], string>(),
});

let tree: ScriptTree;
let logger: CapturingLogger;
let errors: Error[];
let bus: HookBus<SpecsOfCatalogue<typeof hooks>>;

beforeEach(() => {
  tree = new ScriptTree();
  logger = new CapturingLogger();
  errors = [];
  bus = new HookBus(hooks, { onError: (e) => errors.push(e) });
});

afterEach(() => {
  tree.cleanup();
});

describe('bindStepScripts', () => {
  it('runs the kebab-case handler of a bound hook with the mapped payload, and stops after undo', async () => {
    const base = tree.base('mod');
    tree.step(base, 'account-created', '10record', `cat >> "${tree.file('payloads')}"\necho >> "${tree.file('payloads')}"`);
    const runner = new StepScriptRunner({ directories: [base], logger });

    const off = bindStepScripts({
      bus,
      hooks,
      runner,
      bindings: { AccountCreated: { payload: (account, byAdmin) => ({ username: account.username, by: byAdmin }) } },
    });
    await bus.call('AccountCreated', { username: 'alice', password: 'secret' }, 'admin');
    off();
    await bus.call('AccountCreated', { username: 'bob', password: 'secret' }, 'admin');

    expect(readFileSync(tree.file('payloads'), 'utf8')).toBe('{"username":"alice","by":"admin"}\n');
    expect(bus.explain('AccountCreated').listeners).toEqual([]);
  });

  it('registers under the given extension and event name and reports an aborted handler as a listener error', async () => {
    const base = tree.base('mod');
    tree.step(base, 'domain-removed', '10failing', 'exit 5');
    const runner = new StepScriptRunner({ directories: [base], logger, source: 'module/mail1' });
    bindStepScripts({ bus, hooks, runner, extension: 'ns8-scripts', bindings: { DomainDeleted: { event: 'domain-removed', payload: (domain) => ({ domain }) } } });

    const { report } = await bus.invoke('DomainDeleted', ['example.org']);

    expect(report.listeners).toHaveLength(1);
    expect(report.listeners[0]).toMatchObject({ extension: 'ns8-scripts', status: 'error' });
    expect(report.listeners[0].error).toMatchObject({ code: 'PB_LISTENER_FAILED', hook: 'DomainDeleted', extension: 'ns8-scripts' });
    const cause = report.listeners[0].error?.cause;
    expect(cause).toBeInstanceOf(HandlerFailedError);
    expect(cause).toMatchObject({ code: 'PB_SCRIPTS_HANDLER_ABORTED', hook: 'DomainDeleted' });
    expect(logger.messages('error')).toContain('Handler of module/mail1/event/domain-removed exited with status "aborted" (5) at step 10failing');
  });

  it('runs handlers of sync hooks in the background and hands their failures to onError', async () => {
    const base = tree.base('mod');
    tree.step(base, 'tick', '10failing', `echo "$AGENT_EVENT_SOURCE" > "${tree.file('src')}"\nexit 3`);
    const runner = new StepScriptRunner({ directories: [base], logger });
    const failures: Array<[ScriptsError, string]> = [];
    let failed!: () => void;
    const failedOnce = new Promise<void>((resolve) => (failed = resolve));

    bindStepScripts({
      bus,
      hooks,
      runner,
      source: 'module/clock1',
      bindings: { Tick: { payload: (n) => ({ n }) } },
      onError: (error, hook) => {
        failures.push([error, hook]);
        failed();
      },
    });
    bus.call('Tick', 1);
    await failedOnce;

    expect(failures).toHaveLength(1);
    expect(failures[0][1]).toBe('Tick');
    expect(failures[0][0]).toMatchObject({ code: 'PB_SCRIPTS_HANDLER_ABORTED', result: { exitCode: 3 } });
    expect(readFileSync(tree.file('src'), 'utf8')).toBe('module/clock1\n');
  });

  it('in background mode the hook call returns before the handler finishes, and the event is still handled', async () => {
    const base = tree.base('mod');
    tree.step(base, 'account-created', '10wait', `while [ ! -e "${tree.file('go')}" ]; do sleep 0.02; done\necho handled > "${tree.file('done')}"`);
    const runner = new StepScriptRunner({ directories: [base], logger });
    bindStepScripts({ bus, hooks, runner, mode: 'background', bindings: { AccountCreated: { payload: (a) => ({ username: a.username }) } } });

    await bus.call('AccountCreated', { username: 'carol', password: 'x' }, 'admin');
    expect(runner.load.running + runner.load.queued).toBe(1);
    writeFileSync(tree.file('go'), '');
    await runner.whenIdle();

    expect(existsSync(tree.file('done'))).toBe(true);
  });

  it('contributes nothing to the result of a collect hook', async () => {
    const base = tree.base('mod');
    tree.step(base, 'user-menu-display', '10x', 'exit 0');
    const runner = new StepScriptRunner({ directories: [base], logger });
    bus.on('UserMenuDisplay', (target) => `entry for ${target}`, { extension: 'menu' });
    bindStepScripts({ bus, hooks, runner, bindings: { UserMenuDisplay: { payload: (target) => ({ target }) } } });

    expect(await bus.call('UserMenuDisplay', 'top')).toEqual(['entry for top']);
  });

  it('refuses an escaping event name when binding, and registers nothing', () => {
    const runner = new StepScriptRunner({ logger });
    expect(() =>
      bindStepScripts({
        bus,
        hooks,
        runner,
        bindings: {
          DomainDeleted: { payload: (domain) => ({ domain }) },
          AccountCreated: { event: '../../usr/bin', payload: () => ({}) },
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'PB_SCRIPTS_INVALID_EVENT_NAME' }));
    expect(bus.explain('DomainDeleted').listeners).toEqual([]);
  });

  it('reports a throwing payload mapper as PB_SCRIPTS_INVALID_PAYLOAD', async () => {
    const runner = new StepScriptRunner({ directories: [tree.base('mod')], logger });
    bindStepScripts({
      bus,
      hooks,
      runner,
      bindings: {
        DomainDeleted: {
          payload: () => {
            throw new Error('boom');
          },
        },
      },
    });
    const { report } = await bus.invoke('DomainDeleted', ['example.org']);
    expect(report.listeners[0].error?.cause).toMatchObject({ code: 'PB_SCRIPTS_INVALID_PAYLOAD', hook: 'DomainDeleted' });
    expect(errors).toHaveLength(1);
  });
});
