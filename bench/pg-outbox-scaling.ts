/**
 * PostgreSQL outbox with 1, 2 and 4 worker processes on one database: messages/s from the first
 * enqueue to the last outcome committed, no-op deliverer (the store's and the claims' cost only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgOutbox } from '@plugboard/outbox';
import type { Measurement } from './harness';

const MESSAGES = 2000;

async function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'pg-outbox-worker.ts'), url], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
  return child;
}

/** Messages per second through `workers` processes. */
async function run(baseUrl: string, admin: Client, workers: number): Promise<number> {
  const schema = `bench_scale_${process.pid}_${workers}`;
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const url = `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const producer = await PgOutbox.open({ database: url, logger: { info() {}, warn() {}, error() {} } });
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(url)));
  try {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < MESSAGES; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => producer.enqueue('bench', { n: i + j })));
    while ((await producer.counts()).delivered < MESSAGES) await new Promise((r) => setTimeout(r, 20));
    return MESSAGES / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    for (const c of children) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
    await producer.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  }
}

/** The scaling measurements, one per worker count. */
export async function pgScaling(baseUrl: string, log: (l: string) => void): Promise<Measurement[]> {
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const out: Measurement[] = [];
    for (const workers of [1, 2, 4]) {
      const perSecond = await run(baseUrl, admin, workers);
      log(`${workers} worker process(es): ${perSecond.toFixed(0)} msgs/s`);
      out.push({
        scenario: 'outbox-postgres-workers-per-second',
        contender: `${workers} worker process${workers > 1 ? 'es' : ''}`,
        nsPerOp: perSecond,
        note: `${MESSAGES} messages enqueued by a separate producer (100 at a time) until the last outcome is committed; no-op deliverer, concurrency 8 per worker`,
      });
    }
    return out;
  } finally {
    await admin.end();
  }
}
