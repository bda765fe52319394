import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PlugboardError } from '@plugboard/core';
import { HandlerFailedError, ScriptsError, StepScriptRunner, type HandlerRunResult } from '@plugboard/scripts';
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

function read(name: string): string {
  return readFileSync(tree.file(name), 'utf8');
}


/** The process's state letter once it is no longer running or sleeping, or the last one seen at the deadline. */
async function settledProcessState(pid: number, deadlineMs: number): Promise<string> {
  const stat = `/proc/${pid}/stat`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    const state = existsSync(stat) ? (readFileSync(stat, 'utf8').split(') ')[1]?.charAt(0) ?? 'gone') : 'gone';
    if (!['R', 'S', 'D'].includes(state) || Date.now() > until) return state;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('StepScriptRunner: running a handler', () => {
  it('runs the executable steps in lexical (byte-wise) order of file name', async () => {
    const base = tree.base('mod');
    const out = tree.file('order');
    for (const step of ['20second', '10first', '100before-10first', 'B-upper', 'a-lower']) {
      tree.step(base, 'something-happened', step, `echo ${step} >> "${out}"`);
    }
    const runner = new StepScriptRunner({ directories: [base], logger });

    const result = await runner.run('something-happened', {});

    expect(read('order').trim().split('\n')).toEqual(['100before-10first', '10first', '20second', 'B-upper', 'a-lower']);
    expect(result.status).toBe('completed');
    expect(result.exitCode).toBe(0);
    expect(result.steps.map((s) => [s.step, s.status, s.exitCode])).toEqual([
      ['100before-10first', 'ok', 0],
      ['10first', 'ok', 0],
      ['20second', 'ok', 0],
      ['B-upper', 'ok', 0],
      ['a-lower', 'ok', 0],
    ]);
    expect(result.steps.every((s) => s.durationMs > 0)).toBe(true);
    expect(result.lastStep).toBe('a-lower');
  });

  it('writes the JSON payload to the stdin of every step', async () => {
    const base = tree.base('mod');
    tree.step(base, 'payload-sent', '10one', `cat > "${tree.file('one')}"`);
    tree.step(base, 'payload-sent', '20two', `cat > "${tree.file('two')}"`);
    const payload = { field: 'value', nested: { n: 1, list: [true, null] }, text: 'quote " and ü' };

    await new StepScriptRunner({ directories: [base], logger }).run('payload-sent', payload);

    expect(JSON.parse(read('one'))).toEqual(payload);
    expect(read('two')).toBe(JSON.stringify(payload));
  });

  it('sets AGENT_EVENT_NAME and AGENT_EVENT_SOURCE on top of the inherited and configured environment', async () => {
    const base = tree.base('mod');
    tree.step(base, 'env-checked', '10env', `printf '%s|%s|%s|%s' "$AGENT_EVENT_NAME" "$AGENT_EVENT_SOURCE" "$PB_SCRIPTS_INHERITED" "$CONFIGURED" > "${tree.file('env')}"`);
    process.env.PB_SCRIPTS_INHERITED = 'from-parent';
    try {
      const runner = new StepScriptRunner({ directories: [base], logger, env: { CONFIGURED: 'yes', AGENT_EVENT_NAME: 'cannot-override' } });
      const result = await runner.run('env-checked', {}, { source: 'module/traefik1' });
      expect(result.source).toBe('module/traefik1');
    } finally {
      delete process.env.PB_SCRIPTS_INHERITED;
    }
    expect(read('env')).toBe('env-checked|module/traefik1|from-parent|yes');
  });

  it('uses the runner source when the run gives none', async () => {
    const base = tree.base('mod');
    tree.step(base, 'source-defaulted', '10env', `printf '%s' "$AGENT_EVENT_SOURCE" > "${tree.file('src')}"`);
    await new StepScriptRunner({ directories: [base], logger, source: 'module/mymodule1' }).run('source-defaulted', {});
    expect(read('src')).toBe('module/mymodule1');
  });

  it('logs the completion line with the last step', async () => {
    const base = tree.base('mod');
    tree.step(base, 'echo-received', '10handler', 'exit 0');
    await new StepScriptRunner({ directories: [base], logger }).run('echo-received', {}, { source: 'source' });
    expect(logger.messages('info')).toContain('Handler of source/event/echo-received exited with status "completed" (0) at step 10handler');
  });

  it('reports no-handler when no directory has the event', async () => {
    const base = tree.base('mod');
    tree.step(base, 'other-event', '10x', 'exit 0');
    const result = await new StepScriptRunner({ directories: [base, tree.file('missing')], logger }).run('nothing-happened', {});
    expect(result.status).toBe('no-handler');
    expect(result.steps).toEqual([]);
    expect(logger.messages('error')).toEqual([]);
  });
});

describe('StepScriptRunner: failing steps', () => {
  it('aborts the remaining steps on a non-zero exit and logs exited with status "aborted" (N) at step <step>', async () => {
    const base = tree.base('mod');
    tree.step(base, 'handler-errored', '10ok', 'exit 0');
    tree.step(base, 'handler-errored', '20failing', 'echo failing >&2; exit 2');
    tree.step(base, 'handler-errored', '30never_run', `echo "NEVER REACH THIS POINT" > "${tree.file('never')}"`);

    const result = await new StepScriptRunner({ directories: [base], logger }).run('handler-errored', {}, { source: 'source' });

    expect(result.status).toBe('aborted');
    expect(result.exitCode).toBe(2);
    expect(result.lastStep).toBe('20failing');
    expect(result.steps.map((s) => [s.step, s.status, s.exitCode])).toEqual([
      ['10ok', 'ok', 0],
      ['20failing', 'failed', 2],
    ]);
    expect(existsSync(tree.file('never'))).toBe(false);
    const line = logger.records.find((r) => r.level === 'error' && r.msg.includes('exited with status'));
    expect(line?.msg).toBe('Handler of source/event/handler-errored exited with status "aborted" (2) at step 20failing');
    expect(line?.msg).toContain('exited with status "aborted" (2) at step 20failing');
    expect(line?.obj).toMatchObject({ event: 'handler-errored', source: 'source', step: '20failing', status: 'aborted', exitCode: 2 });
  });

  it('skips a non-executable step with a warning and runs the others', async () => {
    const base = tree.base('mod');
    tree.step(base, 'half-executable', '10disabled', `echo 10 >> "${tree.file('ran')}"`, 0o644);
    tree.step(base, 'half-executable', '20enabled', `echo 20 >> "${tree.file('ran')}"`);

    const result = await new StepScriptRunner({ directories: [base], logger }).run('half-executable', {});

    expect(read('ran')).toBe('20\n');
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['10disabled', 'skipped'],
      ['20enabled', 'ok'],
    ]);
    const warning = logger.records.find((r) => r.level === 'warn');
    expect(warning?.obj.step).toBe('10disabled');
    expect(warning?.msg).toMatch(/skips step 10disabled: the file is not executable/);
  });

  it('skips, without aborting, a step that an earlier step removed or made non-executable', async () => {
    const base = tree.base('mod');
    const removed = tree.step(base, 'update-received', '20removed', `echo "NEVER REACH THIS POINT1" >> "${tree.file('never')}"`);
    const disabled = tree.step(base, 'update-received', '30disabled', `echo "NEVER REACH THIS POINT2" >> "${tree.file('never')}"`);
    tree.step(base, 'update-received', '10controller', `rm -f "${removed}"\nchmod -x "${disabled}"`);
    tree.step(base, 'update-received', '40last', 'exit 0');

    const result = await new StepScriptRunner({ directories: [base], logger }).run('update-received', {}, { source: 'source' });

    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['10controller', 'ok'],
      ['20removed', 'skipped'],
      ['30disabled', 'skipped'],
      ['40last', 'ok'],
    ]);
    expect(existsSync(tree.file('never'))).toBe(false);
    expect(logger.messages('info')).toContain('Handler of source/event/update-received exited with status "completed" (0) at step 40last');
  });

  it('never hands a step without a #! line to a shell: it aborts with status 9 like an exec format error', async () => {
    const base = tree.base('mod');
    const plain = tree.step(base, 'format-checked', '10plain', '');
    writeFileSync(plain, `echo "RAN THROUGH A SHELL" > "${tree.file('shell')}"\n`);
    tree.step(base, 'format-checked', '20never', `echo ran > "${tree.file('never')}"`);

    const result = await new StepScriptRunner({ directories: [base], logger }).run('format-checked', {}, { source: 'source' });

    expect(result).toMatchObject({ status: 'aborted', exitCode: 9, lastStep: '10plain' });
    expect(result.steps[0]).toMatchObject({ status: 'failed', exitCode: null, reason: expect.stringContaining('exec format error') });
    expect(existsSync(tree.file('shell'))).toBe(false);
    expect(existsSync(tree.file('never'))).toBe(false);
    expect(logger.messages('error')).toContain('Handler of source/event/format-checked exited with status "aborted" (9) at step 10plain');
  });

  it('does not fail when a step exits without reading a large payload', async () => {
    const base = tree.base('mod');
    tree.step(base, 'big-payload', '10ignore', 'exit 0');
    tree.step(base, 'big-payload', '20ignore', 'exit 0');
    const result = await new StepScriptRunner({ directories: [base], logger }).run('big-payload', { blob: 'x'.repeat(2_000_000) });
    expect(result.status).toBe('completed');
  });
});

describe('StepScriptRunner: several directories', () => {
  function twoModules(): { first: string; second: string } {
    const first = tree.base('first');
    const second = tree.base('second');
    const out = tree.file('out');
    tree.step(first, 'module-updated', '10common', `echo first-10common >> "${out}"`);
    tree.step(first, 'module-updated', '20only-first', `echo first-20only >> "${out}"`);
    tree.step(second, 'module-updated', '10common', `echo second-10common >> "${out}"`);
    tree.step(second, 'module-updated', '30only-second', `echo second-30only >> "${out}"`);
    return { first, second };
  }

  it('merges the steps of all directories and, for the same file name, the later directory wins', async () => {
    const { first, second } = twoModules();
    await new StepScriptRunner({ directories: [first, second], logger }).run('module-updated', {});
    expect(read('out').trim().split('\n')).toEqual(['second-10common', 'first-20only', 'second-30only']);
  });

  it('lets the directory order decide: reversed, the other file wins', async () => {
    const { first, second } = twoModules();
    await new StepScriptRunner({ directories: [second, first], logger }).run('module-updated', {});
    expect(read('out').trim().split('\n')).toEqual(['first-10common', 'first-20only', 'second-30only']);
  });

  it('takes per-run directories instead of the configured ones', async () => {
    const { first, second } = twoModules();
    const result = await new StepScriptRunner({ directories: [second], logger }).run('module-updated', {}, { directories: [first] });
    expect(result.steps.map((s) => s.step)).toEqual(['10common', '20only-first']);
  });
});

describe('StepScriptRunner: event names', () => {
  const refused = ['', '.', '..', '../secret', 'a/b', '/etc', 'a\\b', '..\\x', 'a\0b', 'x..y', 'line\nbreak', 'é'.repeat(200)];

  it.each(refused.map((n) => [JSON.stringify(n).slice(0, 40), n]))('refuses %s with PB_SCRIPTS_INVALID_EVENT_NAME', async (_label, name) => {
    const base = tree.base('mod');
    const run = new StepScriptRunner({ directories: [base], logger }).run(name, {});
    await expect(run).rejects.toBeInstanceOf(ScriptsError);
    await expect(run).rejects.toBeInstanceOf(PlugboardError);
    await expect(run).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_EVENT_NAME' });
  });

  it('never runs a step outside events/ for an escaping name', async () => {
    const base = tree.base('mod');
    // base/events/../secret === base/secret
    tree.step(base, '../secret', '10pwn', `echo pwned > "${tree.file('pwned')}"`);
    const runner = new StepScriptRunner({ directories: [base], logger });
    await expect(runner.run('../secret', {})).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_EVENT_NAME' });
    expect(existsSync(tree.file('pwned'))).toBe(false);
  });

  it('accepts ordinary NethServer event names', async () => {
    const base = tree.base('mod');
    const runner = new StepScriptRunner({ directories: [base], logger });
    for (const name of ['account-provider-credentials-updated', 'module.init', 'vpn_master.ready', '.hidden']) {
      await expect(runner.run(name, {})).resolves.toMatchObject({ status: 'no-handler' });
    }
  });

  it('refuses a payload without a JSON form before running anything', async () => {
    const base = tree.base('mod');
    tree.step(base, 'bad-payload', '10x', `echo ran > "${tree.file('ran')}"`);
    const runner = new StepScriptRunner({ directories: [base], logger });
    await expect(runner.run('bad-payload', { n: 1n })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_PAYLOAD' });
    await expect(runner.run('bad-payload', undefined)).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_PAYLOAD' });
    expect(existsSync(tree.file('ran'))).toBe(false);
  });

  it('refuses invalid runner options with PB_SCRIPTS_INVALID_OPTIONS', () => {
    expect(() => new StepScriptRunner({ maxConcurrent: 0 })).toThrow(expect.objectContaining({ code: 'PB_SCRIPTS_INVALID_OPTIONS' }));
    expect(() => new StepScriptRunner({ stepTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'PB_SCRIPTS_INVALID_OPTIONS' }));
    expect(() => new StepScriptRunner({ directories: [''] })).toThrow(expect.objectContaining({ code: 'PB_SCRIPTS_INVALID_OPTIONS' }));
  });
});

describe('StepScriptRunner: time limits and cancellation', () => {
  it('kills a step that exceeds its time limit with SIGTERM and aborts the remaining steps', async () => {
    const base = tree.base('mod');
    tree.step(base, 'long-run', '10slow', 'exec sleep 30');
    tree.step(base, 'long-run', '20never', `echo ran > "${tree.file('never')}"`);
    const runner = new StepScriptRunner({ directories: [base], logger, stepTimeoutMs: 300 });

    const result = await runner.run('long-run', {}, { source: 'source' });

    expect(result.status).toBe('timeout');
    expect(result.exitCode).toBe(-1);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({ step: '10slow', status: 'timeout', signal: 'SIGTERM', exitCode: null });
    expect(existsSync(tree.file('never'))).toBe(false);
    expect(logger.messages('warn').some((m) => m.includes('step 10slow exceeded its time limit of 300 ms'))).toBe(true);
    expect(logger.messages('error')).toContain('Handler of source/event/long-run exited with status "timeout" (-1) at step 10slow');
  });

  it('escalates to SIGKILL, for the whole process group, when the step ignores SIGTERM', async () => {
    const base = tree.base('mod');
    // SIGTERM stays ignored in the sleep child too; only SIGKILL on the group ends both.
    tree.step(base, 'stubborn-run', '10stubborn', "trap '' TERM\necho ready\nsleep 30\necho after-sleep");
    const runner = new StepScriptRunner({ directories: [base], logger, stepTimeoutMs: 500, killGraceMs: 200 });

    const result = await runner.run('stubborn-run', {});

    expect(result.status).toBe('timeout');
    expect(result.steps[0]).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
    expect(logger.messages('info')).toContain('ready');
    expect(logger.messages('info')).not.toContain('after-sleep');
  });

  it('kills the children a stopped step leaves behind, even those ignoring SIGTERM', async () => {
    const base = tree.base('mod');
    const pidFile = tree.file('child.pid');
    tree.step(base, 'leaky-run', '10leaky', `sh -c 'echo $$ > "${pidFile}"; trap "" TERM; exec sleep 30' &\nwhile [ ! -s "${pidFile}" ]; do sleep 0.02; done\necho spawned\nexec sleep 30`);
    const runner = new StepScriptRunner({ directories: [base], logger, stepTimeoutMs: 500 });

    const result = await runner.run('leaky-run', {});

    expect(result.status).toBe('timeout');
    const pid = Number(read('child.pid').trim());
    expect(pid).toBeGreaterThan(0);
    // SIGKILL is delivered asynchronously: on a loaded machine the child can still be scheduled
    // for a moment after run() resolves. Gone, or a zombie waiting for its new parent to reap it.
    expect(['gone', 'Z', 'X']).toContain(await settledProcessState(pid, 5000));
  });

  it('stops the running step when the caller aborts the run', async () => {
    const base = tree.base('mod');
    tree.step(base, 'cancelled-run', '10wait', 'echo waiting\nexec sleep 30');
    const runner = new StepScriptRunner({ directories: [base], logger });
    const controller = new AbortController();

    const run = runner.run('cancelled-run', {}, { signal: controller.signal });
    await logger.waitFor((r) => r.msg === 'waiting');
    controller.abort();
    const result = await run;

    expect(result.status).toBe('aborted');
    expect(result.steps[0]).toMatchObject({ status: 'failed', signal: 'SIGTERM' });
  });
});

describe('StepScriptRunner: output relay', () => {
  it('relays stdout and stderr lines to the logger in the order the step wrote them, with the step name', async () => {
    const base = tree.base('mod');
    tree.step(base, 'output-sent', '10out', "printf 'line one\\nline two\\r\\n'\nprintf 'to stderr\\n' >&2\nprintf 'no newline at end'");
    tree.step(base, 'output-sent', '20more', 'echo second step');

    await new StepScriptRunner({ directories: [base], logger }).run('output-sent', {}, { source: 'module/m1' });

    const relayed = logger.records.filter((r) => r.obj.stream !== undefined).map((r) => [r.obj.step, r.obj.stream, r.msg]);
    expect(relayed).toEqual([
      ['10out', 'stdout+stderr', 'line one'],
      ['10out', 'stdout+stderr', 'line two'],
      ['10out', 'stdout+stderr', 'to stderr'],
      ['10out', 'stdout+stderr', 'no newline at end'],
      ['20more', 'stdout+stderr', 'second step'],
    ]);
    expect(logger.records.find((r) => r.msg === 'line one')?.obj).toMatchObject({ event: 'output-sent', source: 'module/m1' });
  });

  it('keeps the order of output interleaved across stdout and stderr (out, err, out stays out, err, out)', async () => {
    const base = tree.base('mod');
    const lines = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `echo out${i}` : `echo err${i} >&2`));
    tree.step(base, 'interleaved-output', '10mix', lines.join('\n'));

    await new StepScriptRunner({ directories: [base], logger }).run('interleaved-output', {});

    const relayed = logger.records.filter((r) => r.obj.step === '10mix' && r.obj.stream !== undefined).map((r) => r.msg);
    expect(relayed).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `out${i}` : `err${i}`)));
  });

  it('gives each step the raw message text on stdin byte for byte when run with `raw` (a Redis message as received)', async () => {
    const base = tree.base('mod');
    const seen = tree.file('stdin-seen');
    tree.step(base, 'raw-received', '10read', `cat > "${seen}"`);
    const raw = '{ "domain" :"example.org",  "n": 1.50 }';

    await new StepScriptRunner({ directories: [base], logger }).run('raw-received', JSON.parse(raw), { raw });

    expect(readFileSync(seen, 'utf8')).toBe(raw);
  });

  it('refuses a `raw` text that is not a JSON object before any step runs', async () => {
    const runner = new StepScriptRunner({ directories: [tree.base('mod')], logger });
    await expect(runner.run('raw-received', {}, { raw: '"a string"' })).rejects.toMatchObject({ code: 'PB_SCRIPTS_INVALID_PAYLOAD' });
  });
});

describe('StepScriptRunner: concurrency bound', () => {
  /** A step that announces its start, then waits until the test releases it. */
  function blockingHandler(base: string): void {
    const journal = tree.file('journal');
    tree.step(
      base,
      'job-queued',
      '10block',
      [
        `echo "start $AGENT_EVENT_SOURCE" >> "${journal}"`,
        'echo started',
        `while [ ! -e "${tree.root}/release.$AGENT_EVENT_SOURCE" ]; do sleep 0.02; done`,
        `echo "end $AGENT_EVENT_SOURCE" >> "${journal}"`,
      ].join('\n'),
    );
  }

  function release(id: string): void {
    writeFileSync(tree.file(`release.${id}`), '');
  }

  function started(id: string): Promise<unknown> {
    return logger.waitFor((r) => r.msg === 'started' && r.obj.source === id);
  }

  /** Highest number of handlers between their start and end lines in the journal. */
  function maxOverlap(): number {
    let current = 0;
    let max = 0;
    for (const line of read('journal').trim().split('\n')) {
      current += line.startsWith('start ') ? 1 : -1;
      max = Math.max(max, current);
    }
    return max;
  }

  it('runs at most maxConcurrent handlers and queues the others in FIFO order, dropping none', async () => {
    const base = tree.base('mod');
    blockingHandler(base);
    const runner = new StepScriptRunner({ directories: [base], logger, maxConcurrent: 2 });
    const ids = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];

    const runs = ids.map((id) => runner.run('job-queued', { id }, { source: id }));
    await Promise.all([started('e1'), started('e2')]);
    expect(runner.load).toEqual({ running: 2, queued: 4, maxConcurrent: 2 });

    // Each freed slot goes to the oldest waiting event.
    release('e2');
    await started('e3');
    expect(runner.load).toEqual({ running: 2, queued: 3, maxConcurrent: 2 });
    release('e1');
    await started('e4');
    release('e4');
    await started('e5');
    release('e3');
    await started('e6');
    expect(runner.load.queued).toBe(0);
    release('e5');
    release('e6');

    const results: HandlerRunResult[] = await Promise.all(runs);
    expect(results.map((r) => [r.source, r.status])).toEqual(ids.map((id) => [id, 'completed']));
    const starts = logger.records.filter((r) => r.msg === 'started').map((r) => r.obj.source);
    expect(starts.slice(2)).toEqual(['e3', 'e4', 'e5', 'e6']);
    expect(new Set(starts.slice(0, 2))).toEqual(new Set(['e1', 'e2']));
    expect(maxOverlap()).toBe(2);
    expect(results[5].queuedMs).toBeGreaterThan(0);
    await runner.whenIdle();
    expect(runner.load).toEqual({ running: 0, queued: 0, maxConcurrent: 2 });
  });

  it('delivers every one of a burst of events through a small bound', async () => {
    const base = tree.base('mod');
    const journal = tree.file('journal');
    tree.step(base, 'burst-sent', '10record', `echo "start $AGENT_EVENT_SOURCE" >> "${journal}"\necho "end $AGENT_EVENT_SOURCE" >> "${journal}"`);
    const runner = new StepScriptRunner({ directories: [base], logger, maxConcurrent: 3 });

    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => runner.run('burst-sent', { i }, { source: `b${i}` })));

    expect(results.every((r) => r.status === 'completed')).toBe(true);
    const ended = read('journal').split('\n').filter((l) => l.startsWith('end ')).map((l) => l.slice(4));
    expect(new Set(ended)).toEqual(new Set(Array.from({ length: 24 }, (_, i) => `b${i}`)));
    expect(maxOverlap()).toBeLessThanOrEqual(3);
  });

  it('skips a queued run whose caller aborted before it got a slot', async () => {
    const base = tree.base('mod');
    blockingHandler(base);
    const runner = new StepScriptRunner({ directories: [base], logger, maxConcurrent: 1 });
    const controller = new AbortController();

    const first = runner.run('job-queued', {}, { source: 'q1' });
    const second = runner.run('job-queued', {}, { source: 'q2', signal: controller.signal });
    await started('q1');
    controller.abort();
    release('q1');

    expect((await first).status).toBe('completed');
    const skipped = await second;
    expect(skipped.status).toBe('aborted');
    expect(skipped.steps).toEqual([]);
    expect(read('journal')).not.toContain('q2');
  });
});

describe('HandlerFailedError', () => {
  it('carries the run result and a code per status', async () => {
    const base = tree.base('mod');
    tree.step(base, 'handler-errored', '10failing', 'exit 7');
    const result = await new StepScriptRunner({ directories: [base], logger }).run('handler-errored', {});
    const error = new HandlerFailedError(result);
    expect(error.code).toBe('PB_SCRIPTS_HANDLER_ABORTED');
    expect(error.message).toContain('exited with status "aborted" (7) at step 10failing');
    expect(error.result).toBe(result);
  });
});
