import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { Client } from 'pg';
import { runWindow } from '../io-harness';
import { versionOf, type JobQueue } from './job-queue';

export const PG_URL = process.env.PLUGBOARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops a benchmark's schema (each run makes its own). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * pg-boss on the local PostgreSQL with its defaults (a committed INSERT per job). Its workers
 * poll and wait the polling interval after every batch (0.5 s here, the shortest it allows), so
 * one worker fetches batches of up to 64 jobs and delivers them `concurrency` at a time: with
 * batches of one, eight workers top out at 8 / 0.5 s = 16 jobs/s whatever the delivery costs.
 */
export class PgBossQueue implements JobQueue {
  readonly name = `pg-boss ${versionOf('pg-boss')}`;
  readonly server = ['postgres'];
  readonly durability = 'PostgreSQL commit (synchronous_commit=on: in the WAL on disk)';
  private readonly schema = `pgboss_bench_${randomUUID().slice(0, 8)}`;
  private readonly queueName = 'mail';
  private readonly boss = new PgBoss({ connectionString: PG_URL, schema: this.schema, supervise: false, schedule: false });

  async start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void> {
    this.boss.on('error', (e: unknown) => console.error('pg-boss:', e));
    await this.boss.start();
    await this.boss.createQueue(this.queueName);
    await this.boss.work(this.queueName, { batchSize: 64, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      await runWindow(jobs.length, concurrency, (i) => handler(jobs[i].data));
    });
  }

  async add(data: object): Promise<void> {
    await this.boss.send(this.queueName, data);
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true });
    await dropSchema(this.schema);
  }
}
