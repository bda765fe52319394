import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { Client } from 'pg';
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
 * pg-boss on the local PostgreSQL with its defaults (a committed INSERT per job; workers poll,
 * here every 0.5 s, the shortest pg-boss allows). pg-boss 10 has no per-worker concurrency:
 * `concurrency` workers each fetch one job at a time.
 */
export class PgBossQueue implements JobQueue {
  readonly name = `pg-boss ${versionOf('pg-boss')}`;
  readonly durability = 'PostgreSQL commit (synchronous_commit=on: in the WAL on disk)';
  private readonly schema = `pgboss_bench_${randomUUID().slice(0, 8)}`;
  private readonly queueName = 'mail';
  private readonly boss = new PgBoss({ connectionString: PG_URL, schema: this.schema, supervise: false, schedule: false });

  async start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void> {
    this.boss.on('error', (e: unknown) => console.error('pg-boss:', e));
    await this.boss.start();
    await this.boss.createQueue(this.queueName);
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work(this.queueName, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
    }
  }

  async add(data: object): Promise<void> {
    await this.boss.send(this.queueName, data);
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true });
    await dropSchema(this.schema);
  }
}
