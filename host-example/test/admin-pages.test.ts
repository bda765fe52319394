/**
 * The admin page over plain HTTP (no browser): sessions and roles, assets served by the host,
 * masking, dead-letter retry, server-side rule validation and the SSE stream.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { extension } from '@plugboard/core';
import { PermanentDeliveryError } from '@plugboard/outbox';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

@extension({ name: 'tricky', version: '0.0.1', description: '<img src=x onerror=alert(1)> & friends' })
class Tricky {}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('admin page over HTTP', () => {
  let tmp: ReturnType<typeof tempDir>;
  let running: Running;
  let token: string;
  let cookie: string;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(running.url + path, { redirect: 'manual', headers: { cookie, ...headers } });
  const post = (path: string, body: Record<string, string> | string, headers: Record<string, string> = {}) =>
    fetch(running.url + path, { method: 'POST', redirect: 'manual', headers: { cookie, ...FORM, ...headers }, body: typeof body === 'string' ? body : new URLSearchParams(body).toString() });

  beforeAll(async () => {
    tmp = tempDir();
    running = await start(join(tmp.dir, 'host.sqlite'), [...SAMPLE_EXTENSIONS, Tricky]);
    token = await running.login('admin', ADMIN_PASSWORD);
    expect((await running.req('POST', '/api/domains', { token, body: { name: 'example.com' } })).status).toBe(201);
    expect((await running.req('POST', '/api/accounts', { token, body: { username: 'sam@example.com', password: 'sam-password-1' } })).status).toBe(201);
    const res = await fetch(`${running.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: FORM, body: `username=admin&password=${ADMIN_PASSWORD}&next=%2Fadmin%2Fhooks` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/hooks');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    cookie = setCookie.split(';')[0];
  });

  afterAll(async () => {
    await running.stop();
    tmp.cleanup();
  });

  test('the root address a newcomer opens redirects to the admin page', async () => {
    const res = await fetch(`${running.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin');
  });

  test('pages need a session: without one they redirect to the login form, keeping where you were going', async () => {
    const res = await fetch(`${running.url}/admin/deliveries?state=dead`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent('/admin/deliveries?state=dead')}`);
  });

  test('a wrong password re-shows the form with the error; a non-SuperAdmin is refused and gets no session', async () => {
    const wrong = await fetch(`${running.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: FORM, body: 'username=admin&password=nope' });
    expect(wrong.status).toBe(401);
    const page = await wrong.text();
    expect(page).toContain('role="alert">Wrong username or password.');
    expect(page).toContain('value="admin"');
    const simple = await fetch(`${running.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: FORM, body: 'username=sam%40example.com&password=sam-password-1' });
    expect(simple.status).toBe(403);
    expect(simple.headers.get('set-cookie')).toBeNull();
    expect(await simple.text()).toContain('needs a SuperAdmin');
  });

  test('htmx, its SSE extension and the stylesheet come from the host; pages forbid other origins by CSP', async () => {
    for (const asset of ['/admin/assets/htmx.min.js', '/admin/assets/sse.js', '/admin/assets/admin.js']) {
      const res = await get(asset);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('javascript');
    }
    expect((await get('/admin/assets/admin.css')).headers.get('content-type')).toContain('text/css');
    expect((await (await get('/admin/assets/htmx.min.js')).text()).length).toBeGreaterThan(10_000);
    const res = await get('/admin/extensions');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  test('extension data is escaped, never markup', async () => {
    const html = await (await get('/admin/extensions')).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; friends');
    expect(html).not.toContain('<img src=x');
  });

  test('the hook catalogue shows kind, arguments, result type and listeners in order', async () => {
    const html = await (await get('/admin/hooks?q=UserMenuDisplay')).text();
    expect(html).toContain('<code id="hook-UserMenuDisplay">UserMenuDisplay</code>');
    expect(html).toContain('<code>target, user</code>');
    expect(html).toContain('{ name: string; label: string; url: string }[]');
    const domains = await (await get('/admin/hooks?q=ExtraDomainFilters')).text();
    expect(domains).toContain('relay-domains');
  });

  test('a form posted from another site is refused', async () => {
    const res = await post('/admin/extensions/limits/disable', '', { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(running.host.manager.find('limits')?.state).toBe('enabled');
  });

  test('server-side rule validation puts each error next to its field and saves nothing', async () => {
    const res = await post(
      '/admin/rules',
      'name=bad+ip&events=AccountCreated&handler=Logger%3Alog&options.message=hello&conditions.client_ip=not-an-ip&ordering=x&position=post&active=false&active=true',
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/data-field="conditions\.client_ip">[^]*?<p class="error" id="f-conditions-client_ip-error">[^<]+<\/p>/);
    expect(html).toMatch(/data-field="ordering">[^]*?<p class="error" id="f-ordering-error">must be an integer<\/p>/);
    expect(html).toContain('value="not-an-ip"');
    expect((await running.host.rules.store.list()).map((r) => r.name)).not.toContain('bad ip');
  });

  test('rules are listed and can be deactivated, activated and deleted from the list', async () => {
    const rule = await running.host.rules.store.create({ name: 'log logins', events: ['UserLogin'], handlerModule: 'Logger', action: 'log', options: { message: 'login' } });
    expect(await (await get('/admin/rules')).text()).toContain(`<a href="/admin/rules/${rule.id}">log logins</a>`);
    const off = await post(`/admin/rules/${rule.id}/deactivate`, '');
    expect(off.status).toBe(303);
    expect((await running.host.rules.store.get(rule.id))?.active).toBe(false);
    await post(`/admin/rules/${rule.id}/activate`, '');
    expect((await running.host.rules.store.get(rule.id))?.active).toBe(true);
    const edit = await (await get(`/admin/rules/${rule.id}`)).text();
    expect(edit).toContain('value="login"');
    await post(`/admin/rules/${rule.id}/delete`, '');
    expect(await running.host.rules.store.get(rule.id)).toBeUndefined();
  });

  test('a dead letter queued by a rule names and links the rule and the event that queued it', async () => {
    const { outbox } = running.host;
    const unregister = outbox.register('admin-rule-test', async () => {
      throw new PermanentDeliveryError('550 mailbox unavailable', { statusCode: 550 });
    });
    try {
      const dead = once(outbox, 'dead');
      const msg = await outbox.enqueue('admin-rule-test', { to: 'ops@example.org' }, { meta: { ruleId: '42', rule: 'tell ops', event: 'AccountCreated', eventId: 'evt-1' } });
      await dead;
      const html = await (await get('/admin/deliveries?state=dead')).text();
      expect(html).toContain(msg.id.slice(0, 8));
      expect(html).toContain('rule <a href="/admin/rules/42">tell ops</a>');
      expect(html).toContain('AccountCreated · event evt-1');
    } finally {
      unregister();
    }
  });

  test("a rule's Deliveries link lists only the messages that rule queued, with their state", async () => {
    const { outbox } = running.host;
    const rule = await running.host.rules.store.create({ name: 'tell ops', events: ['UserLogin'], handlerModule: 'Logger', action: 'log', options: { message: 'x' } });
    const unregister = outbox.register('admin-rule-link', async () => {
      throw new PermanentDeliveryError('550 mailbox unavailable', { statusCode: 550 });
    });
    try {
      const dead = once(outbox, 'dead');
      const mine = await outbox.enqueue('admin-rule-link', { n: 1 }, { meta: { ruleId: String(rule.id), rule: rule.name } });
      await dead;
      const other = await outbox.enqueue('admin-rule-link-unregistered', { n: 2 }, { meta: { ruleId: String(rule.id + 1000) } });
      expect(await (await get('/admin/rules')).text()).toContain(`href="/admin/deliveries?rule=${rule.id}"`);
      const html = await (await get(`/admin/deliveries?rule=${rule.id}`)).text();
      expect(html).toContain(`Showing the messages queued by rule <a href="/admin/rules/${rule.id}">tell ops</a>`);
      expect(html).toContain(`title="${mine.id}"`);
      expect(html).toContain('550 mailbox unavailable');
      expect(html).not.toContain(`title="${other.id}"`);
      expect(html).toContain(`href="/admin/deliveries?state=dead&amp;rule=${rule.id}"`);
    } finally {
      unregister();
      await running.host.rules.store.delete(rule.id);
    }
  });

  test('dead letters show attempts with secrets masked, and the retry button delivers them again', async () => {
    const { outbox } = running.host;
    let fail = true;
    const unregister = outbox.register('admin-test', async () => {
      if (fail) throw new PermanentDeliveryError('HTTP 410', { statusCode: 410 });
    });
    try {
      const dead = once(outbox, 'dead');
      const msg = await outbox.enqueue('admin-test', { url: 'http://127.0.0.1:9/hook', secret: 'whsec_TOPSECRET', headers: { Authorization: 'Bearer TOKEN123' } });
      await dead;
      const html = await (await get('/admin/deliveries?state=dead')).text();
      expect(html).toContain(msg.id.slice(0, 8));
      expect(html).toContain('HTTP 410');
      expect(html).not.toContain('TOPSECRET');
      expect(html).not.toContain('TOKEN123');
      expect(html).toContain('<dt>secret</dt><dd><span>***</span></dd>');
      expect(html).toContain(`action="/admin/deliveries/${msg.id}/retry"`);

      fail = false;
      const delivered = once(outbox, 'delivered');
      const res = await post(`/admin/deliveries/${msg.id}/retry`, '');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('notice=');
      await delivered;
      expect((await outbox.get(msg.id))?.state).toBe('delivered');
    } finally {
      unregister();
    }
  });

  test('the event stream sends only the calls of the chosen hook, each with its listener report', async () => {
    const controller = new AbortController();
    const res = await fetch(`${running.url}/admin/events/stream?hook=DomainCreated`, { headers: { cookie }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The first chunk is the connection comment: the stream is subscribed once it arrives.
    text += decoder.decode((await reader.read()).value);
    expect(text).toContain(': connected');
    expect((await running.req('POST', '/api/domains', { token, body: { name: 'stream.example' } })).status).toBe(201);
    const complete = (): boolean => text.includes('event: call') && text.includes('\n\n', text.indexOf('event: call'));
    while (!complete()) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const event = text.slice(text.indexOf('event: call'));
    expect(event).toContain('data: <li data-hook="DomainCreated"');
    expect(event).toContain('stream.example');
    expect(event).toMatch(/<span class="ext">audit-log<\/span> <span class="badge ok">ok<\/span>/);
    expect(text).not.toContain('data-hook="CanCreate"');
  });

  test('an unknown hook filter is a 400 that says what to do', async () => {
    const res = await get('/admin/events?hook=NoSuchHook');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('There is no hook &quot;NoSuchHook&quot;');
  });

  test('logging out ends the API session too', async () => {
    const res = await post('/admin/logout', '');
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await get('/admin/extensions');
    expect(after.status).toBe(303);
  });
});
