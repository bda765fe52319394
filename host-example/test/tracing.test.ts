import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startReceiver, type Receiver } from './plugin-helpers';
import { startTestTracing, type TestTracing } from './tracing-helpers';

describe('OpenTelemetry traces of one API call through rules, outbox and a webhook', () => {
  const tmp = tempDir();
  let tracing: TestTracing;
  let api: Running;
  let receiver: Receiver;
  let token: string;

  beforeAll(async () => {
    tracing = startTestTracing();
    receiver = await startReceiver(200);
    api = await start(join(tmp.dir, 'tracing.sqlite'), [], {
      webhookGuard: { allow: ['127.0.0.1'] },
      outbox: { pollIntervalMs: 50, backoff: { initialMs: 50, maxAttempts: 2, jitter: 0 } },
    });
    token = await api.login('admin', ADMIN_PASSWORD);
    const post = (path: string, body: unknown) => api.req('POST', path, { token, body });
    expect((await post('/api/domains', { name: 'example.com' })).status).toBe(201);
    expect((await post('/api/webhooks', { name: 'crm', url: `${receiver.url}/hooks`, events: ['AccountCreated'] })).status).toBe(201);
    expect((await post('/api/rules', { name: 'tell crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } })).status).toBe(201);
  });
  afterAll(async () => {
    await api.stop();
    await receiver.close();
    await tracing.stop();
    tmp.cleanup();
  });

  it('records hook, rule, action, outbox delivery and HTTP spans in one trace, and the receiver gets its traceparent', async () => {
    expect((await api.req('POST', '/api/accounts', { token, body: { username: 'cy@example.com', password: 'correct horse' } })).status).toBe(201);
    // The endpoint's own subscription and the rule each send one delivery.
    await receiver.waitFor(2);
    await api.host.outbox.drain();

    const [rule] = tracing.named('rule tell crm');
    expect(rule.attributes).toEqual(expect.objectContaining({ 'plugboard.rule.handler_module': 'WebHook', 'plugboard.rule.action': 'post', 'plugboard.event': 'AccountCreated', 'plugboard.rule.status': 'ran' }));
    const post = tracing.named('POST').find((s) => tracing.ancestry(s).includes('rule tell crm'));
    if (!post) throw new Error(`no POST span under the rule: ${tracing.spans().map((s) => tracing.ancestry(s).join(' < ')).join('\n')}`);
    const deliver = tracing.parent(post);
    expect(deliver?.attributes).toEqual(expect.objectContaining({ 'messaging.destination.name': 'webhook', 'plugboard.outbox.attempt': 1, 'plugboard.outbox.outcome': 'delivered' }));
    expect(post.attributes).toEqual(expect.objectContaining({ 'http.request.method': 'POST', 'url.full': `${receiver.url}/hooks`, 'http.response.status_code': 200 }));

    // The delivery continues the trace of the call that queued it: API hook → listener → rule → action → delivery → POST.
    expect(tracing.ancestry(post)).toEqual(['POST', 'deliver webhook', 'action WebHook.post', 'rule tell crm', 'hook AccountCreated', 'POST /api/accounts']);
    const request = tracing.named('POST /api/accounts')[0];
    expect(request.attributes).toEqual(expect.objectContaining({ 'http.request.method': 'POST', 'http.route': '/api/accounts', 'http.response.status_code': 201 }));
    const hook = tracing.named('hook AccountCreated')[0];
    expect(hook.attributes).toEqual(expect.objectContaining({ 'plugboard.hook': 'AccountCreated', 'plugboard.hook.kind': 'notify' }));

    // The receiver continues the same trace, under the POST span.
    const parents = receiver.requests.map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(String(r.headers.traceparent))?.slice(1));
    expect(parents).toContainEqual([rule.spanContext().traceId, post.spanContext().spanId]);
    // Both deliveries (the rule's and the subscription's) belong to the trace of the hook call.
    expect(parents.map((p) => p?.[0])).toEqual([hook.spanContext().traceId, hook.spanContext().traceId]);
  });

  it('continues the trace of a caller that sends a traceparent, and a post rule of the call runs in it', async () => {
    expect((await api.req('POST', '/api/rules', { token, body: { name: 'log domains', position: 'post', events: ['POST /api/domains'], handlerModule: 'Logger', action: 'log', options: { message: 'domain {event}' } } })).status).toBe(201);
    const traceId = 'f'.repeat(31) + '1';
    const caller = `00-${traceId}-${'a'.repeat(16)}-01`;
    const res = await fetch(`${api.url}/api/domains`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent: caller }, body: JSON.stringify({ name: 'traced.example' }) });
    expect(res.status).toBe(201);
    const request = await waitForSpan(tracing, (s) => s.name === 'POST /api/domains' && s.spanContext().traceId === traceId);
    expect(request.parentSpanContext?.spanId).toBe('a'.repeat(16));
    const postRule = await waitForSpan(tracing, (s) => s.name === 'rule log domains');
    expect(postRule.spanContext().traceId).toBe(traceId);
  });
});

/** Resolves with the first finished span matching `match` (post rules finish after the response). */
async function waitForSpan(tracing: TestTracing, match: (s: ReturnType<TestTracing['spans']>[number]) => boolean): Promise<ReturnType<TestTracing['spans']>[number]> {
  for (let i = 0; i < 100; i++) {
    const found = tracing.spans().find(match);
    if (found) return found;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no such span among: ${tracing.spans().map((s) => s.name).join(', ')}`);
}
