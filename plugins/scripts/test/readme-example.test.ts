import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { HookBus, defineHooks, notifyAsync } from '@plugboard/core';
import { bindStepScripts, ScriptHandlerModule, StepScriptRunner } from '@plugboard/scripts';

// The 30-second example of README.md, with the module directory in a temporary directory.
describe('README example', () => {
  let moduleDir: string;
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });

  beforeAll(() => {
    moduleDir = mkdtempSync(path.join(tmpdir(), 'pb-scripts-readme-'));
    // README: /var/lib/nethserver/mymodule/events/account-provider-changed/10reload
    const handler = path.join(moduleDir, 'events', 'account-provider-changed');
    mkdirSync(handler, { recursive: true });
    writeFileSync(
      path.join(handler, '10reload'),
      '#!/bin/sh\npayload=$(cat)\necho "reloading for $AGENT_EVENT_SOURCE: $payload"\n',
    );
    chmodSync(path.join(handler, '10reload'), 0o755);
  });

  afterAll(() => rmSync(moduleDir, { recursive: true, force: true }));

  it('runs a handler directly, from a hook, and as the Script handler module', async () => {
    const runner = new StepScriptRunner({
      directories: [moduleDir], // several allowed; for the same step file name the later one wins
      logger: pino(sink), // any pino-compatible logger
      maxConcurrent: 4, // handlers beyond it wait in FIFO order
      stepTimeoutMs: 60_000, // a slower step is killed and the handler aborts
    });

    // 1. Directly.
    const result = await runner.run('account-provider-changed', { domain: 'example.org' }, { source: 'module/ldapproxy1' });
    expect(result.status).toBe('completed'); // or 'aborted' | 'timeout' | 'no-handler'

    // 2. From a hook of the bus.
    const hooks = defineHooks({ AccountProviderChanged: notifyAsync<[domain: string]>() });
    const bus = new HookBus(hooks);
    const off = bindStepScripts({
      bus,
      hooks,
      runner,
      bindings: { AccountProviderChanged: { payload: (domain) => ({ domain }) } },
    });
    await bus.call('AccountProviderChanged', 'example.com');
    off();

    // 3. As the rules engine's handler module `Script` (action `run`, option `directory`).
    const script = new ScriptHandlerModule({ runner, allowedDirectories: [moduleDir] });
    await script.do(
      'run',
      { eventId: 'e1', event: 'AccountProviderChanged', position: 'post', timestamp: new Date(), payload: { domain: 'example.net' } },
      { directory: moduleDir },
    );

    const relayed = lines.filter((l) => l.stream === 'stdout+stderr').map((l) => l.msg);
    expect(relayed).toEqual([
      'reloading for module/ldapproxy1: {"domain":"example.org"}',
      'reloading for plugboard: {"domain":"example.com"}',
      'reloading for plugboard: {"domain":"example.net"}',
    ]);
    expect(lines.filter((l) => l.level === 30 && String(l.msg).includes('exited with status "completed" (0) at step 10reload'))).toHaveLength(3);
  });
});
