/**
 * Prometheus metrics of the plugins (issue 20 item 3), after real traffic through a real host:
 * API calls fire rules that send a mail to a real SMTP server and run a step script, and a
 * webhook goes to a real HTTP receiver that answers 500, then 200.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { sample, scrape } from './metrics-helpers';
import { startReceiver, startSmtp, type Receiver, type SmtpSink } from './plugin-helpers';

describe('/metrics after rules, mail, webhooks and step scripts ran', () => {
  const tmp = tempDir();
  const handlers = join(tmp.dir, 'handlers');
  let running: Running;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let token: string;
  let text: string;

  beforeAll(async () => {
    const dir = join(handlers, 'events', 'domain-created');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '10ok'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, '10ok'), 0o755);
    smtp = await startSmtp();
    receiver = await startReceiver(500);
    running = await start(join(tmp.dir, 'plugin-metrics.sqlite'), [], {
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 20, backoff: { initialMs: 20, maxAttempts: 3, jitter: 0 } },
    });
    token = await running.login('admin', ADMIN_PASSWORD);
    const post = async (path: string, body: unknown): Promise<void> => {
      const res = await running.req('POST', path, { token, body });
      expect(res.status).toBe(201);
    };
    await post('/api/smtp', { name: 'local', host: '127.0.0.1', port: smtp.port, sender: 'noreply@example.com', security: 'none' });
    const mail = { emailconfig: 'local', To: 'email', 'To email': 'ops@example.org', subject: 'New account' };
    await post('/api/rules', { name: 'tell ops', events: ['AccountCreated'], handlerModule: 'UserNotification', action: 'sendmail', options: mail });
    await post('/api/rules', { name: 'run steps', events: ['DomainCreated'], handlerModule: 'Script', action: 'run', options: { directory: handlers } });
    await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['AccountCreated'] });

    await post('/api/domains', { name: 'example.com' });
    await post('/api/accounts', { username: 'ann@example.com', password: 'correct horse' });
    await receiver.waitFor(1);
    receiver.status = 200;
    await Promise.all([receiver.waitFor(2), smtp.waitFor(1)]);
    await running.host.outbox.drain({ includeScheduled: true, timeoutMs: 15_000 });
    text = (await scrape(running.url, token)).text;
  });
  afterAll(async () => {
    await running.stop();
    await smtp.close();
    await receiver.close();
    tmp.cleanup();
  });

  test('counts rule actions by handler module, action and outcome', () => {
    expect(sample(text, 'plugboard_rule_actions_total', { module: 'UserNotification', action: 'sendmail', outcome: 'ran' })).toBe(1);
    expect(sample(text, 'plugboard_rule_actions_total', { module: 'Script', action: 'run', outcome: 'ran' })).toBe(1);
  });

  test('counts webhook responses by HTTP status: the 500 and the 200 of the retry', () => {
    expect(sample(text, 'plugboard_webhook_responses_total', { status: '500' })).toBe(1);
    expect(sample(text, 'plugboard_webhook_responses_total', { status: '200' })).toBe(1);
  });

  test('counts delivery attempts by channel and outcome, and times queued → delivered per channel', () => {
    expect(sample(text, 'plugboard_outbox_attempts_total', { channel: 'webhook', outcome: 'retry' })).toBe(1);
    expect(sample(text, 'plugboard_outbox_attempts_total', { channel: 'webhook', outcome: 'delivered' })).toBe(1);
    expect(sample(text, 'plugboard_outbox_attempts_total', { channel: 'smtp', outcome: 'delivered' })).toBe(1);
    expect(sample(text, 'plugboard_outbox_delivery_latency_seconds_count', { channel: 'webhook' })).toBe(1);
    // The webhook waited at least one backoff (20 ms) after its 500.
    expect(sample(text, 'plugboard_outbox_delivery_latency_seconds_sum', { channel: 'webhook' })).toBeGreaterThanOrEqual(0.02);
    expect(sample(text, 'plugboard_outbox_delivery_latency_seconds_count', { channel: 'smtp' })).toBe(1);
    expect(text).toContain('# TYPE plugboard_outbox_delivery_latency_seconds histogram');
  });

  test('shows the outbox depth per state, read at the scrape', () => {
    expect(sample(text, 'plugboard_outbox_messages', { state: 'delivered' })).toBe(3);
    expect(sample(text, 'plugboard_outbox_messages', { state: 'pending' })).toBe(0);
  });

  test('times step-script handler runs by event and status', () => {
    expect(sample(text, 'plugboard_step_script_duration_seconds_count', { event: 'domain-created', status: 'completed' })).toBe(1);
    expect(sample(text, 'plugboard_step_script_duration_seconds_sum', { event: 'domain-created', status: 'completed' })).toBeGreaterThan(0);
  });
});
