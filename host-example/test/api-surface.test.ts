import { join } from 'node:path';
import { RelayDomainsExtension } from '../src/extensions/relay-domains';
import { registeredApiRoutes } from './api-routes';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { startSmtp } from './plugin-helpers';

/** The parameters a route requires, sent along so the unknown one is what it refuses. */
const REQUIRED_QUERY: Readonly<Record<string, string>> = { '/api/admin-content': 'page=domains&', '/api/static-content': 'caller=x&' };

describe('the API surface', () => {
  const tmp = tempDir();
  let run: Running;
  let t: { token: string };
  beforeAll(async () => {
    run = await start(join(tmp.dir, 'api.sqlite'), [RelayDomainsExtension]);
    t = { token: await run.login('admin', ADMIN_PASSWORD) };
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('pages every list with limit and an opaque cursor, in a stable order, and searches it with q', async () => {
    await run.req('POST', '/api/domains', { ...t, body: { name: 'hosted.test' } });
    for (const n of ['c', 'a', 'b']) {
      await run.req('POST', '/api/domain-aliases', { ...t, body: { name: `${n}-alias.test`, target: 'hosted.test' } });
      await run.req('POST', '/api/smtp', { ...t, body: { name: `smtp-${n}`, host: '127.0.0.1', sender: `${n}@hosted.test` } });
    }
    const first = await run.req('GET', '/api/domain-aliases?limit=2', t);
    expect(first.status).toBe(200);
    expect(first.body.aliases.map((a: { name: string }) => a.name)).toEqual(['a-alias.test', 'b-alias.test']);
    const second = await run.req('GET', `/api/domain-aliases?limit=2&cursor=${first.body.nextCursor as string}`, t);
    expect(second.body).toMatchObject({ aliases: [{ name: 'c-alias.test' }], nextCursor: null });
    expect((await run.req('GET', '/api/domain-aliases?q=B-ALIAS', t)).body.aliases.map((a: { name: string }) => a.name)).toEqual(['b-alias.test']);

    const smtp = await run.req('GET', '/api/smtp?limit=1&q=smtp', t);
    expect(smtp.body.configs.map((c: { name: string }) => c.name)).toEqual(['smtp-a']);
    const next = await run.req('GET', `/api/smtp?limit=1&q=smtp&cursor=${smtp.body.nextCursor as string}`, t);
    expect(next.body.configs.map((c: { name: string }) => c.name)).toEqual(['smtp-b']);

    for (const list of ['/api/mailbox-aliases', '/api/relaydomains', '/api/relaydomain-aliases', '/api/rules', '/api/sms-gateways', '/api/webhooks', '/api/email-hooks', '/api/extensions', '/api/extension-packages']) {
      const r = await run.req('GET', `${list}?limit=200&q=x`, t);
      expect({ list, status: r.status, nextCursor: r.body.nextCursor }).toEqual({ list, status: 200, nextCursor: null });
    }
    // The outbox and the rules log page by offset in SQL: their cursor carries it.
    for (const list of ['/api/outbox', '/api/rules/log']) {
      const r = await run.req('GET', `${list}?limit=5`, t);
      expect({ list, status: r.status, nextCursor: r.body.nextCursor }).toEqual({ list, status: 200, nextCursor: null });
    }
  });

  it('walks the rules log and the outbox page by page with the cursor they answer', async () => {
    const smtp = await startSmtp();
    try {
      await run.req('POST', '/api/smtp', { ...t, body: { name: 'sink', host: '127.0.0.1', port: smtp.port, sender: 'noreply@hosted.test', security: 'none' } });
      const options = { emailconfig: 'sink', To: 'email', 'To email': 'ops@hosted.test', subject: 'New domain' };
      const rule = await run.req('POST', '/api/rules', { ...t, body: { name: 'tell ops', position: 'pre', events: ['POST /api/domains'], handlerModule: 'UserNotification', action: 'sendmail', options } });
      expect(rule.status).toBe(201);
      for (const n of [1, 2, 3]) expect((await run.req('POST', '/api/domains', { ...t, body: { name: `paged-${n}.test` } })).status).toBe(201);
      for (const [list, field] of [[`/api/rules/log?ruleId=${rule.body.id as number}&`, 'entries'], ['/api/outbox?channel=smtp&', 'messages']]) {
        const first = await run.req('GET', `${list}limit=2`, t);
        expect({ list, count: first.body[field].length, more: typeof first.body.nextCursor }).toEqual({ list, count: 2, more: 'string' });
        const rest = await run.req('GET', `${list}limit=2&cursor=${first.body.nextCursor as string}`, t);
        expect({ list, count: rest.body[field].length, nextCursor: rest.body.nextCursor }).toEqual({ list, count: 1, nextCursor: null });
      }
      await smtp.waitFor(3);
    } finally {
      await smtp.close();
    }
  });

  it('refuses a limit out of 1..200 and a cursor it did not issue, naming the parameter', async () => {
    for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['cursor=bm9wZQ', 'cursor']]) {
      const r = await run.req('GET', `/api/webhooks?${query}`, t);
      expect({ query, status: r.status, error: r.body.error, field: r.body.field }).toEqual({ query, status: 400, error: 'PB_HOST_INVALID', field });
    }
  });

  it('refuses an unknown query parameter on every /api/ route, naming it', async () => {
    const routes = registeredApiRoutes(run.host.app().printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(60);
    for (const route of routes.filter((r) => r.startsWith('GET ') && !r.includes(':'))) {
      const required = REQUIRED_QUERY[route.slice(4)] ?? '';
      const r = await run.req('GET', `${route.slice(4)}?${required}bogus=1`, t);
      expect({ route, status: r.status, error: r.body.error, field: r.body.field }).toEqual({ route, status: 400, error: 'PB_HOST_INVALID', field: 'bogus' });
      expect(r.body.message).toContain('"bogus"');
    }
  });

  it('answers every refused request with the one error shape { error, message }', async () => {
    const bad: [string, string, RequestInit, number][] = [
      ['unknown path', '/api/nothing-here', {}, 404],
      ['unknown method', '/api/me', { method: 'PUT' }, 404],
      ['page outside the API', '/no-such-page', {}, 404],
      ['no token', '/api/domains', {}, 401],
      ['bad JSON', '/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }, 400],
      ['unsupported content type', '/api/domains', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<name/>' }, 415],
      ['body too large', '/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2_000_000) }) }, 413],
      ['unknown body field', '/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x.test","nope":1}' }, 400],
    ];
    for (const [what, path, init, status] of bad) {
      const withToken = what === 'no token' ? init : { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${t.token}` } };
      const res = await fetch(run.url + path, withToken);
      const body = (await res.json()) as { error?: unknown; message?: unknown };
      expect({ what, status: res.status, error: typeof body.error, message: typeof body.message }).toEqual({ what, status, error: 'string', message: 'string' });
      expect(body.error).toMatch(/^PB_/);
    }
  });

  it('says what to do when fastify itself refuses a body: send JSON, send less', async () => {
    const post = async (contentType: string, body: string) =>
      (await (await fetch(`${run.url}/api/domains`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${t.token}` }, body })).json()) as { error: string; message: string };
    expect(await post('text/csv', 'name\nx.test')).toMatchObject({ error: 'PB_HOST_UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('content-type: application/json') });
    expect(await post('application/json', JSON.stringify({ name: 'y'.repeat(1_100_000) }))).toMatchObject({ error: 'PB_HOST_TOO_LARGE', message: expect.stringContaining('Send less') });
  });
});
