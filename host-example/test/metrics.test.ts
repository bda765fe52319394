/**
 * Prometheus metrics of the real host (issue 20): `/metrics` counts hook calls and every
 * listener run by hook, extension and status, with durations, the extensions' state and the
 * outbox depth; administrators only.
 */
import { join } from 'node:path';
import { extension, observe } from '@plugboard/core';
import { hostHooks } from '../src/hooks';
import type { User } from '../src/model';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { sample, scrape as scrapeMetrics } from './metrics-helpers';

@extension({ name: 'grumpy', version: '1.0.0' })
class Grumpy {
  @observe(hostHooks.AccountCreated)
  async created(_account: User): Promise<void> {
    throw new Error('not today');
  }
}

describe('/metrics', () => {
  const tmp = tempDir();
  let running: Running;
  let token: string;
  const scrape = (auth?: string) => scrapeMetrics(running.url, auth);

  beforeAll(async () => {
    running = await start(join(tmp.dir, 'metrics.sqlite'), [...SAMPLE_EXTENSIONS, Grumpy]);
    token = await running.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await running.stop();
    tmp.cleanup();
  });

  test('is refused without an administrator session', async () => {
    expect((await scrape()).status).toBe(401);
  });

  test('counts listener runs by hook, extension and status, with durations, and the calls themselves', async () => {
    const api = (path: string, body: unknown) => running.req('POST', path, { token, body });
    expect((await api('/api/domains', { name: 'metrics.test' })).status).toBe(201);
    expect((await api('/api/accounts', { username: 'ann@metrics.test', password: 'metrics-password-1' })).status).toBe(201);
    expect((await api('/api/accounts', { username: 'bob@metrics.test', password: 'metrics-password-2' })).status).toBe(201);
    const { status, type, text } = await scrape(token);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(text, 'plugboard_listener_calls_total', { hook: 'AccountCreated', extension: 'audit-log', status: 'ok' })).toBe(2);
    expect(sample(text, 'plugboard_listener_calls_total', { hook: 'AccountCreated', extension: 'grumpy', status: 'error' })).toBe(2);
    expect(sample(text, 'plugboard_hook_calls_total', { hook: 'AccountCreated', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'plugboard_listener_duration_seconds_count', { hook: 'AccountCreated', extension: 'audit-log' })).toBe(2);
    expect(text).toContain('# TYPE plugboard_listener_duration_seconds histogram');
  });

  test('shows each extension state and the outbox depth per state, read at the scrape', async () => {
    await running.req('POST', '/api/extensions/grumpy/disable', { token });
    const { text } = await scrape(token);
    expect(sample(text, 'plugboard_extension_enabled', { extension: 'grumpy', state: 'disabled' })).toBe(0);
    expect(sample(text, 'plugboard_extension_enabled', { extension: 'audit-log', state: 'enabled' })).toBe(1);
    for (const state of ['pending', 'delivering', 'delivered', 'dead']) expect(sample(text, 'plugboard_outbox_messages', { state })).toBeGreaterThanOrEqual(0);
    expect(text).toContain('plugboard_process_');
  });
});
