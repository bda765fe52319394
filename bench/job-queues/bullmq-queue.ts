import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { versionOf, type JobQueue } from './job-queue';

const connection = { host: '127.0.0.1', port: 6379 };

/** BullMQ on the local Redis, with its defaults (completed jobs are kept, as BullMQ does). */
export class BullMqQueue implements JobQueue {
  readonly name = `BullMQ ${versionOf('bullmq')}`;
  readonly server = ['redis-server'];
  readonly durability = 'Redis in memory: durable only as far as the server persists (this one: --save "" --appendonly no, so nothing)';
  private readonly queueName = `pb-bench-${randomUUID().slice(0, 8)}`;
  private readonly queue = new Queue(this.queueName, { connection });
  private worker: Worker | undefined;

  async start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void> {
    this.worker = new Worker(this.queueName, async (job) => handler(job.data), { connection, concurrency });
    await this.worker.waitUntilReady();
  }

  async add(data: object): Promise<void> {
    await this.queue.add('mail', data);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.obliterate({ force: true });
    await this.queue.close();
  }
}
