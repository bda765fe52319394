/**
 * Script rules run their step scripts through the outbox: an API call never waits for a step,
 * the run survives a restart and happens once per event; only a `pre` rule that asks to wait
 * runs inline, with a short step limit.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { waitFor } from './plugin-helpers';

describe('Script rules through the outbox', () => {
  const tmp = tempDir();
  const dbFile = join(tmp.dir, 'scripts.sqlite');
  const handlers = join(tmp.dir, 'handlers');
  const started = join(tmp.dir, 'started');
  const release = join(tmp.dir, 'release');
  const ran = join(tmp.dir, 'ran');

  /** A step that records its start, blocks until the test creates `release` (20 s at most), then records its event id. */
  function writeStep(event: string): void {
    const dir = join(handlers, 'events', event);
    mkdirSync(dir, { recursive: true });
    const step = join(dir, '10record');
    writeFileSync(
      step,
      `#!/bin/sh\necho "$PLUGBOARD_EVENT_ID" >> "${started}"\n` +
        `i=0; while [ ! -e "${release}" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n` +
        `echo "$PLUGBOARD_EVENT_ID" >> "${ran}"\n`,
    );
    chmodSync(step, 0o755);
  }
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '') : []);

  beforeAll(() => writeStep('domain-created'));
  afterAll(() => tmp.cleanup());

  const boot = (deliver: boolean): Promise<Running> => start(dbFile, [], { deliver, outbox: { pollIntervalMs: 20 } });

  it('queues the run: the API call answers while the step is still blocked, and the step runs once', async () => {
    const api = await boot(true);
    try {
      const token = await api.login('admin', ADMIN_PASSWORD);
      const rule = await api.req('POST', '/api/rules', { token, body: { name: 'on domain', events: ['DomainCreated'], handlerModule: 'Script', action: 'run', options: { directory: handlers } } });
      expect(rule.status).toBe(201);
      expect((await api.req('POST', '/api/domains', { token, body: { name: 'a.example.com' } })).status).toBe(201);
      // The answer came back; the step has started (or will) but cannot have finished: it waits for `release`.
      await waitFor(() => lines(started).length === 1, 10_000, 'the step to start');
      expect(lines(ran)).toEqual([]);
      writeFileSync(release, '');
      await waitFor(() => lines(ran).length === 1, 10_000, 'the step to finish');
      await api.host.outbox.drain();
      expect(lines(ran)).toHaveLength(1);
      expect(lines(ran)[0]).toBe(lines(started)[0]);
      // The rules log says queued (the run was handed to the outbox), and the run's outcome is found from the rule.
      const log = await api.req('GET', `/api/rules/log?ruleId=${rule.body.id as number}`, { token });
      expect(log.body.entries).toEqual([expect.objectContaining({ status: 'queued', detail: `queued handler domain-created of ${handlers}` })]);
      const deliveries = await api.req('GET', `/api/rules/${rule.body.id as number}/deliveries`, { token });
      expect(deliveries.body.deliveries).toEqual([expect.objectContaining({ state: 'delivered', meta: expect.objectContaining({ rule: 'on domain', eventId: lines(ran)[0] }) })]);
    } finally {
      await api.stop();
    }
  });

  it('survives a restart: a run queued by a process that stopped before delivering it runs once in the next one', async () => {
    const queuer = await boot(false);
    try {
      const token = await queuer.login('admin', ADMIN_PASSWORD);
      expect((await queuer.req('POST', '/api/domains', { token, body: { name: 'b.example.com' } })).status).toBe(201);
      expect(queuer.host.outbox.list({ channel: 'script', state: 'pending' })).toHaveLength(1);
    } finally {
      await queuer.stop();
    }
    expect(lines(ran)).toHaveLength(1);
    const next = await boot(true);
    try {
      await waitFor(() => lines(ran).length === 2, 10_000, 'the queued run after the restart');
      await next.host.outbox.drain();
      expect(lines(ran)).toHaveLength(2);
      expect(new Set(lines(ran)).size).toBe(2);
    } finally {
      await next.stop();
    }
  });

  it('a pre rule with wait runs inline and its failing step refuses the call', async () => {
    const dir = join(tmp.dir, 'veto');
    mkdirSync(join(dir, 'events', 'domain-created'), { recursive: true });
    const step = join(dir, 'events', 'domain-created', '10no');
    writeFileSync(step, '#!/bin/sh\necho "not today" >&2\nexit 3\n');
    chmodSync(step, 0o755);
    const api = await boot(true);
    try {
      const token = await api.login('admin', ADMIN_PASSWORD);
      const rule = await api.req('POST', '/api/rules', {
        token,
        body: { name: 'veto', position: 'pre', events: ['DomainCreated'], handlerModule: 'Script', action: 'run', abortOnError: true, options: { directory: dir, wait: true } },
      });
      expect(rule.status).toBe(201);
      const res = await api.req('POST', '/api/domains', { token, body: { name: 'c.example.com' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect((await api.host.outbox.list({ channel: 'script' })).filter((m) => m.payload !== undefined && (m.payload as { directory?: string }).directory === dir)).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
