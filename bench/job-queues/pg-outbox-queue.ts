import { randomUUID } from 'node:crypto';
import { PgOutbox } from '@plugboard/outbox';
import type { JobQueue } from './job-queue';
import { PG_URL } from './pgboss-queue';

async function admin(sql: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Plugboard's own outbox on PostgreSQL (`PgOutbox`: SKIP LOCKED claims, LISTEN/NOTIFY wake-ups)
 * behind the same adapter as the job queues, so the rules → UserNotification path stays identical.
 * Its tables live in a database of its own (Kysely's migrator looks at every schema of a database), dropped at the end.
 */
export class PgOutboxQueue implements JobQueue {
  readonly name = 'Plugboard outbox (PostgreSQL)';
  readonly durability = 'PostgreSQL commit (synchronous_commit=on: in the WAL on disk)';
  private readonly database = `pb_outbox_bench_${randomUUID().slice(0, 8)}`;
  private outbox: PgOutbox | undefined;

  async start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void> {
    await admin(`CREATE DATABASE "${this.database}"`);
    const url = PG_URL.replace(/\/[^/]*$/, `/${this.database}`);
    this.outbox = await PgOutbox.open({ database: url as `postgres://${string}`, concurrency, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    this.outbox.register('mail', async (message) => {
      await handler(message.payload);
    });
    this.outbox.start();
  }

  async add(data: object): Promise<void> {
    if (this.outbox === undefined) throw new Error('PgOutboxQueue: start() first');
    await this.outbox.enqueue('mail', data);
  }

  async close(): Promise<void> {
    await this.outbox?.close();
    await admin(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
  }
}
