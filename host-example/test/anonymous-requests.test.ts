/**
 * Authentication comes before validation and before rules: an anonymous request to any
 * protected route answers 401 whatever its body, and raises no API event (no pre or post rule
 * runs), so anonymous traffic cannot trigger mail, webhooks or scripts.
 */
import { join } from 'node:path';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('anonymous requests', () => {
  const tmp = tempDir();
  let run: Running;
  let token: string;
  const ruleIds: number[] = [];

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'anon.sqlite'), []);
    token = await run.login('admin', ADMIN_PASSWORD);
    for (const position of ['pre', 'post']) {
      const res = await run.req('POST', '/api/rules', { token, body: { name: `every ${position}`, position, events: ['*'], handlerModule: 'Logger', action: 'log', options: { message: 'seen {event}' } } });
      expect(res.status).toBe(201);
      ruleIds.push(res.body.id as number);
    }
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  const ruleRuns = async (): Promise<number> => {
    let n = 0;
    for (const ruleId of ruleIds) n += (await run.host.rules.store.eventLog.query({ ruleId, limit: 10_000 })).length;
    return n;
  };

  it('answers 401 on every protected route, before validating the body, and runs no rule', async () => {
    const events: string[] = (await run.req('GET', '/api/rules/events', { token })).body.api;
    expect(events.length).toBeGreaterThan(40);
    await run.host.outbox.drain();
    const before = await ruleRuns();
    const statuses: Record<string, number> = {};
    for (const event of events) {
      const [method, route] = event.split(' ');
      const path = route.replace(/:[A-Za-z]+/g, '1');
      const res = await fetch(run.url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify({ bogus: true, name: 42 }) }),
      });
      statuses[event] = res.status;
    }
    expect(Object.entries(statuses).filter(([, status]) => status !== 401)).toEqual([]);
    expect(await ruleRuns()).toBe(before);
    expect(events).not.toContain('POST /api/login');
  });

  it('keeps the login route open to anonymous callers', async () => {
    expect((await run.req('POST', '/api/login', { body: { username: 'admin', password: 'wrong-password' } })).status).toBe(401);
    expect((await run.req('POST', '/api/login', { body: { username: 'admin' } })).status).toBe(400);
    expect((await run.req('GET', '/api/announcements')).status).toBe(200);
  });

  it('still raises API events for authenticated calls', async () => {
    const before = await ruleRuns();
    expect((await run.req('GET', '/api/me', { token })).status).toBe(200);
    await run.host.outbox.drain();
    expect(await ruleRuns()).toBeGreaterThan(before);
  });
});
