import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PgOutbox } from '../src';
import { recordingLogger, waitFor, waitForAsync } from './support/helpers';
import { pgDatabase } from './support/pg';

const support = join(__dirname, 'support');

/** A worker process on the shared outbox; resolves once it listens and runs. */
async function startWorker(url: string, name: string, port: number, leaseMs: number, attemptTimeoutMs: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', join(support, 'register-src.js'), join(support, 'pg-worker.ts'), url, name, String(port), String(leaseMs), String(attemptTimeoutMs)],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code, signal) => reject(new Error(`worker ${name} exited (${code ?? signal}): ${err}`)));
  });
  return child;
}

interface Hit {
  readonly id: string;
  readonly worker: string;
  readonly res: ServerResponse;
}

/** A receiver that records every POST; `hold(hit)` decides whether to leave it unanswered. */
async function receiver(hold: (hit: Hit) => boolean): Promise<{ server: Server; port: number; hits: Hit[]; answered: Hit[] }> {
  const hits: Hit[] = [];
  const answered: Hit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const hit = { ...(JSON.parse(body) as { id: string; worker: string }), res };
      hits.push(hit);
      if (hold(hit)) return;
      answered.push(hit);
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, hits, answered };
}

describe('PgOutbox shared by several worker processes', () => {
  let pg: Awaited<ReturnType<typeof pgDatabase>>;
  let producer: PgOutbox;
  const children: ChildProcess[] = [];
  let server: Server | undefined;

  beforeEach(async () => {
    pg = await pgDatabase();
    producer = await PgOutbox.open({ database: pg.url('producer'), logger: recordingLogger() });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      c.kill('SIGKILL');
      await once(c, 'exit');
    }
    server?.closeAllConnections();
    server?.close();
    await producer.close();
    await pg.drop();
  });

  it('delivers each of 300 messages exactly once across three workers, every worker taking a share', async () => {
    const r = await receiver(() => false);
    server = r.server;
    children.push(...(await Promise.all(['w1', 'w2', 'w3'].map((name) => startWorker(pg.url(name), name, r.port, 30_000, 10_000)))));
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await producer.enqueue('http', { n: i })).id);
    await waitFor(() => r.hits.length >= 300, 60_000, '300 deliveries');
    process.stdout.write(`300 messages through 3 workers in ${Date.now() - t0} ms\n`);
    expect(r.hits.map((h) => h.id).sort()).toEqual([...ids].sort()); // each once: no duplicates
    const perWorker = new Map<string, number>();
    for (const h of r.hits) perWorker.set(h.worker, (perWorker.get(h.worker) ?? 0) + 1);
    expect([...perWorker.keys()].sort()).toEqual(['w1', 'w2', 'w3']);
    // The last answer reaches the test before its worker commits the outcome.
    await waitForAsync(async () => (await producer.counts()).delivered === 300, 10_000, 'every outcome committed');
    expect(await producer.counts()).toEqual({ pending: 0, delivering: 0, delivered: 300, dead: 0 });
  }, 90_000);

  it('delivers the messages of a worker killed with SIGKILL mid-delivery through the others after its lease, duplicating only those it held', async () => {
    let victimHeld = 0;
    const r = await receiver((hit) => hit.worker === 'victim' && ++victimHeld > 0);
    server = r.server;
    const victim = await startWorker(pg.url('victim'), 'victim', r.port, 1500, 1000);
    children.push(victim);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await producer.enqueue('http', { n: i })).id);
    await waitFor(() => victimHeld >= 4, 20_000, 'the victim holding 4 deliveries');
    victim.kill('SIGKILL');
    await once(victim, 'exit');
    const held = new Set(r.hits.filter((h) => h.worker === 'victim').map((h) => h.id));
    children.push(...(await Promise.all(['w1', 'w2'].map((name) => startWorker(pg.url(name), name, r.port, 1500, 1000)))));
    await waitFor(() => new Set(r.answered.map((h) => h.id)).size === ids.length, 60_000, 'every message answered');
    const seen = new Map<string, number>();
    for (const h of r.hits) seen.set(h.id, (seen.get(h.id) ?? 0) + 1);
    const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(duplicated.every((id) => held.has(id))).toBe(true);
    expect(held.size).toBeGreaterThanOrEqual(4);
    await waitForAsync(async () => (await producer.counts()).delivered === ids.length, 10_000, 'every outcome committed');
    expect(await producer.counts()).toEqual({ pending: 0, delivering: 0, delivered: ids.length, dead: 0 });
    const lost = await producer.attempts([...held][0]);
    expect(lost.map((a) => a.outcome)).toEqual(['retry', 'delivered']);
    expect(lost[0].error).toMatch(/claim lapsed/);
  }, 90_000);
});
