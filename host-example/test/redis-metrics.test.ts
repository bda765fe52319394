/**
 * Redis bridge metrics of a real host on a real Redis (127.0.0.1:6379): a connection killed with
 * CLIENT KILL is counted as a reconnect of that connection once the bridge has resubscribed.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';
import { sample, scrape } from './metrics-helpers';

describe('/metrics of the Redis bridge', () => {
  const tmp = tempDir();
  const moduleId = `metrics${randomUUID().slice(0, 8)}`;
  const raw = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  let running: Running;
  let token: string;

  beforeAll(async () => {
    await raw.connect();
    running = await start(join(tmp.dir, 'redis-metrics.sqlite'), [], { redis: { moduleId, pattern: `module/${moduleId}/event/*` } });
    token = await running.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await running?.stop();
    raw.disconnect();
    tmp.cleanup();
  });

  test('counts a killed subscriber connection as one reconnect of "subscriber"', async () => {
    const bridge = running.host.redis;
    if (bridge === undefined) throw new Error('the host was started with Redis options but has no bridge');
    const name = `plugboard/${moduleId}/${bridge.instanceId}/subscriber`;
    const ids = String(await raw.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1]);
    expect(ids).toHaveLength(1);
    const resubscribed = new Promise<void>((resolve) => {
      const off = bridge.onStatus((s) => {
        if (s.type === 'subscribed') {
          off();
          resolve();
        }
      });
    });
    await raw.client('KILL', 'ID', String(ids[0]));
    await resubscribed;
    const { text } = await scrape(running.url, token);
    expect(sample(text, 'plugboard_redis_reconnects_total', { connection: 'subscriber' })).toBe(1);
    expect(sample(text, 'plugboard_redis_reconnects_total', { connection: 'publisher' })).toBeUndefined();
  });
});
