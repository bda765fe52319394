/**
 * Durable mode checks that Redis keeps its data across a restart: on a Redis without AOF or RDB
 * snapshots (the test server runs with `--save "" --appendonly no`) it refuses to start unless
 * the operator opts in, and then warns.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisEventBridge, redisPersistence } from '@plugboard/redis';
import { rawClient, recordingLogger, uniqueId, waitFor } from './support/redis';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('durable mode and Redis persistence', () => {
  const raw = rawClient();
  afterAll(async () => {
    await raw.quit();
  });

  it('reads the test Redis as volatile', async () => {
    expect(await redisPersistence(raw)).toEqual({ state: 'volatile', detail: 'appendonly no, save ""' });
  });

  it('refuses to start durable mode on a Redis that keeps nothing on disk, naming the way to opt in', async () => {
    const bridge = new RedisEventBridge({ moduleId: uniqueId('vol'), subscribe: false, durable: { group: 'workers' }, logger: recordingLogger() });
    await expect(bridge.start()).rejects.toMatchObject({ code: 'PB_REDIS_VOLATILE', message: expect.stringMatching(/appendonly no.*allowVolatile: true/s) });
  });

  it('starts with allowVolatile and logs one warning', async () => {
    const logger = recordingLogger();
    const bridge = new RedisEventBridge({ moduleId: uniqueId('vol'), subscribe: false, durable: { group: 'workers', allowVolatile: true }, logger });
    await bridge.start();
    try {
      const warnings = logger.entries.filter((e) => e.level === 'warn' && /keeps nothing on disk/.test(e.message));
      expect(warnings).toHaveLength(1);
    } finally {
      await bridge.close({ graceMs: 0 });
    }
  });

  /** Runs `body` against a private redis-server started with `args` (its own port and directory). */
  async function withRedisServer(args: readonly string[], body: (port: number, probe: Redis) => Promise<void>): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'pb-redis-'));
    const port = await freePort();
    const server: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args], { stdio: 'ignore' });
    const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    try {
      // connect() once; after a refused first attempt ioredis reconnects by itself (another connect() would be refused as "already connecting").
      await waitFor(() => (probe.status === 'ready' ? true : probe.status === 'wait' ? probe.connect().then(() => true, () => false) : false), 'the private redis-server to accept connections', 15_000);
      await body(port, probe);
    } finally {
      probe.disconnect();
      server.kill('SIGTERM');
      await once(server, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('starts silently on a Redis with AOF on', async () => {
    await withRedisServer(['--save', '', '--appendonly', 'yes'], async (port, probe) => {
      expect((await redisPersistence(probe)).state).toBe('persistent');
      const logger = recordingLogger();
      const bridge = new RedisEventBridge({ moduleId: uniqueId('aof'), redis: { host: '127.0.0.1', port }, subscribe: false, durable: { group: 'workers' }, logger });
      await bridge.start();
      await bridge.close({ graceMs: 0 });
      expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([]);
    });
  });

  it('treats a Redis whose CONFIG command is renamed away as unknown: starts and warns once', async () => {
    await withRedisServer(['--save', '', '--appendonly', 'no', '--rename-command', 'CONFIG', ''], async (port, probe) => {
      expect((await redisPersistence(probe)).state).toBe('unknown');
      const logger = recordingLogger();
      const bridge = new RedisEventBridge({ moduleId: uniqueId('noconf'), redis: { host: '127.0.0.1', port }, subscribe: false, durable: { group: 'workers' }, logger });
      await bridge.start();
      await bridge.close({ graceMs: 0 });
      expect(logger.entries.filter((e) => e.level === 'warn' && /could not tell/.test(e.message))).toHaveLength(1);
    });
  });
});
