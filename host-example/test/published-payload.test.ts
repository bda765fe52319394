import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

describe('events published on Redis carry the minimal information about the event (NethServer)', () => {
  const tmp = tempDir();
  const moduleId = `pbt-${randomUUID().slice(0, 8)}`;
  let running: Running;
  let sub: Redis;
  const received: { channel: string; payload: Record<string, unknown> }[] = [];
  let arrived: () => void = () => undefined;

  beforeAll(async () => {
    sub = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await sub.connect();
    await sub.psubscribe(`module/${moduleId}/event/*`);
    sub.on('pmessage', (_p: string, channel: string, message: string) => {
      received.push({ channel, payload: JSON.parse(message) as Record<string, unknown> });
      arrived();
    });
    running = await start(join(tmp.dir, 'host.db'), [], { redis: { moduleId, subscribe: false } });
  });
  afterAll(async () => {
    await running.stop();
    sub.disconnect();
    tmp.cleanup();
  });

  it('a domain created by an administrator is published with the whole domain, and its owner and the acting user as id and name only', async () => {
    const token = await running.login('admin', ADMIN_PASSWORD);
    const published = new Promise<void>((resolve) => (arrived = resolve));
    const created = await running.req('POST', '/api/domains', { token, body: { name: 'minimal.test' } });
    expect(created.status).toBe(201);
    await published;
    const event = received.find((r) => r.channel === `module/${moduleId}/event/domain-created`);
    expect(event).toBeDefined();
    const payload = event?.payload ?? {};
    expect(payload.domain).toMatchObject({ name: 'minimal.test' });
    expect(payload.user).toEqual({ id: expect.any(Number), username: 'admin' });
    expect(payload.actor).toEqual({ id: expect.any(Number), username: 'admin' });
    expect(JSON.stringify(payload)).not.toMatch(/role|email|firstName|passwordChangedAt/);
  });
});
