/**
 * Redis bridge metrics on a real Redis (127.0.0.1:6379): a connection of a real host killed with
 * CLIENT KILL is counted as a reconnect of that connection; a durable event raised by a worker
 * bridge is timed from its stream entry to its consumption.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { defineHooks, HookBus, notifyAsync } from '@plugboard/core';
import { RedisEventBridge } from '@plugboard/redis';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { attachPluginMetrics } from '../src/metrics/plugin-metrics';
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

describe('Redis lag metric', () => {
  const hooks = defineHooks({ QuotaExceeded: notifyAsync<[mailbox: string]>() });
  const moduleId = `lag${randomUUID().slice(0, 8)}`;
  const streamPrefix = `${moduleId}:stream/`;
  const raw = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  const bridges: { close(o: { graceMs: number }): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(bridges.map((b) => b.close({ graceMs: 0 })));
    const keys = await raw.keys(`${streamPrefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  });

  test('times a durable event from its stream entry to the worker raising it, by event', async () => {
    await raw.connect();
    const bus = new HookBus(hooks);
    bus.on('QuotaExceeded', () => undefined, { extension: 'quota-watch' });
    const quiet = { warn: () => undefined, error: () => undefined };
    const publisher = new RedisEventBridge({ moduleId, subscribe: false, logger: quiet, durable: { streamPrefix, allowVolatile: true } });
    const worker = new RedisEventBridge({
      moduleId: `${moduleId}-worker`,
      bus,
      subscribe: false,
      logger: quiet,
      durable: { group: 'workers', streamPrefix, blockMs: 100, allowVolatile: true },
      raise: [{ event: 'quota-exceeded', hook: 'QuotaExceeded', durable: true, args: (p) => [String(p.mailbox)] }],
    });
    bridges.push(publisher, worker);
    const registry = new Registry();
    const detach = attachPluginMetrics(registry, { redis: worker });
    // Registered after the metrics' own listener, so it runs once the lag is observed.
    const raised = new Promise<void>((resolve) => {
      const off = worker.onStatus((s) => {
        if (s.type === 'raised') {
          off();
          resolve();
        }
      });
    });
    await Promise.all([publisher.start(), worker.start()]);
    await publisher.publish('quota-exceeded', { mailbox: 'ann@example.com' }, { durable: true });
    await raised;
    const text = await registry.getSingleMetricAsString('plugboard_redis_lag_seconds');
    detach();
    expect(text).toContain('plugboard_redis_lag_seconds_count{event="quota-exceeded"} 1');
    expect(Number(/plugboard_redis_lag_seconds_sum\{event="quota-exceeded"\} (\S+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(0);
  });

  test('times a pub/sub event from the publishing bridge sending it to a subscriber receiving it; events signalled by other tools are not timed', async () => {
    const quiet = { warn: () => undefined, error: () => undefined };
    const source = `${moduleId}-pub`;
    const publisher = new RedisEventBridge({ moduleId: source, subscribe: false, logger: quiet });
    const subscriber = new RedisEventBridge({ moduleId: `${moduleId}-sub`, pattern: `module/${source}/event/*`, logger: quiet });
    bridges.push(publisher, subscriber);
    const registry = new Registry();
    const detach = attachPluginMetrics(registry, { redis: subscriber });
    const seen: string[] = [];
    let arrived: () => void = () => undefined;
    subscriber.onEvent('*', (e) => {
      seen.push(e.name);
      if (seen.length === 2) arrived();
    });
    const both = new Promise<void>((resolve) => (arrived = resolve));
    await Promise.all([publisher.start(), subscriber.start()]);
    await publisher.publish('mailbox-full', { mailbox: 'ann@example.com' });
    await raw.publish(`module/${source}/event/signalled-by-hand`, '{"x":1}');
    await both;
    const text = await registry.getSingleMetricAsString('plugboard_redis_lag_seconds');
    detach();
    expect(text).toContain('plugboard_redis_lag_seconds_count{event="mailbox-full"} 1');
    expect(text).not.toContain('event="signalled-by-hand"');
  });
});
