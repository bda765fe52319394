import { randomUUID } from 'node:crypto';
import { makeWorkerUtils, run, type Runner, type WorkerUtils } from 'graphile-worker';
import { versionOf, type JobQueue } from './job-queue';
import { dropSchema, PG_URL } from './pgboss-queue';

const quiet = () => () => undefined;

/** graphile-worker on the local PostgreSQL with its defaults (a committed INSERT per job, LISTEN/NOTIFY wake-ups). */
export class GraphileQueue implements JobQueue {
  readonly name = `graphile-worker ${versionOf('graphile-worker')}`;
  readonly server = ['postgres'];
  readonly durability = 'PostgreSQL commit (synchronous_commit=on: in the WAL on disk)';
  private readonly schema = `graphile_bench_${randomUUID().slice(0, 8)}`;
  private runner: Runner | undefined;
  private utils: WorkerUtils | undefined;

  async start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void> {
    const { Logger } = await import('graphile-worker');
    const logger = new Logger(quiet);
    this.utils = await makeWorkerUtils({ connectionString: PG_URL, schema: this.schema, logger });
    await this.utils.migrate();
    this.runner = await run({ connectionString: PG_URL, schema: this.schema, concurrency, noHandleSignals: true, logger, taskList: { mail: async (payload) => handler(payload) } });
  }

  async add(data: object): Promise<void> {
    if (this.utils === undefined) throw new Error('graphile-worker: start() first');
    await this.utils.addJob('mail', data);
  }

  async close(): Promise<void> {
    await this.runner?.stop();
    await this.utils?.release();
    await dropSchema(this.schema);
  }
}
