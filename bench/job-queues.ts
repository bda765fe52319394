/**
 * Durable mail delivery against the job queues a user would pick instead (issue 19): the same
 * sendmail rule → UserNotification → NotifyDelivery → pooled nodemailer path to a local
 * smtp-server, with each message stored before the rule's action returns, through
 *  - Plugboard's outbox on a SQLite file and on PostgreSQL (PgOutbox), in the path as a host runs them,
 *  - BullMQ (Redis), pg-boss and graphile-worker (PostgreSQL), each with its default durability.
 * Events are dispatched one after another; a message counts when the server has read its DATA.
 * Every path keeps the rules' stores (event log, configurations) in a SQLite file.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox, PgOutbox, type DurableOutbox } from '@plugboard/outbox';
import { benchDatabase } from './job-queues/bench-database';
import type { Measurement } from './harness';
import { Counter, median, secondsSince, tempDir } from './io-harness';
import { BullMqQueue } from './job-queues/bullmq-queue';
import { GraphileQueue } from './job-queues/graphile-queue';
import type { JobQueue } from './job-queues/job-queue';
import { JobQueueOutbox } from './job-queues/job-queue-outbox';
import { PgBossQueue } from './job-queues/pgboss-queue';
import { buildPath, context, startSmtpServer, type MailPath } from './mail';
import { processCpuMs, serverCpuMs } from './server-cpu';
import { awaitingCommits } from './writer-thread-outbox';

export const QUEUE_SCENARIO = 'durable-mail-per-second-vs-job-queues';
export const PLUGBOARD_SQLITE = 'Plugboard outbox (SQLite file)';
/** CPU time per delivered message, this process's and its queue server's: on a 2-core machine both share the cores. */
export const QUEUE_CPU_SCENARIO = 'durable-mail-cpu-per-message';

const MESSAGES = 300;
const ROUNDS = 5;
const WARMUP = 100;
const TIMEOUT_MS = 60_000;
const CONCURRENCY = 8;

interface Contender {
  readonly name: string;
  readonly durability: string;
  /** The commands of the server it stores in (read from /proc), none for SQLite. */
  readonly server: readonly string[];
  readonly path: MailPath<DurableOutbox>;
  readonly failures: () => readonly unknown[];
  readonly close: () => Promise<void>;
}

function sqliteStores(dir: string, name: string): Database.Database {
  const db = new Database(join(dir, `${name}-stores.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

async function queueContender(queue: JobQueue, port: number, dir: string, i: number): Promise<Contender> {
  const outbox = new JobQueueOutbox(queue);
  const stores = sqliteStores(dir, `queue${i}`);
  const path = await buildPath(port, outbox, { stores, wrap: (module) => awaitingCommits(module, outbox) });
  await outbox.startWorkers(CONCURRENCY);
  return {
    name: `${queue.name} (same path, the queue in place of the outbox)`,
    durability: queue.durability,
    server: queue.server,
    path,
    failures: () => outbox.deliveryFailures,
    close: async () => {
      path.delivery.close();
      await queue.close();
      stores.close();
    },
  };
}

async function plugboardSqlite(port: number, dir: string): Promise<Contender> {
  const path = await buildPath(port, new Outbox({ database: join(dir, 'host.db'), concurrency: CONCURRENCY }));
  return {
    name: PLUGBOARD_SQLITE,
    durability: 'SQLite commit in WAL mode, synchronous=NORMAL (survives a process crash; an OS crash may lose the last commits)',
    server: [],
    path,
    failures: () => [],
    close: async () => {
      await path.outbox.close();
      path.delivery.close();
    },
  };
}

/** PgOutbox in the path, as a host on PostgreSQL runs it; the rules' stores stay in a SQLite file, as for the queues. */
async function plugboardPostgres(port: number, dir: string): Promise<Contender> {
  const database = await benchDatabase('pb_outbox_bench');
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const stores = sqliteStores(dir, 'pg-outbox');
  const path = await buildPath(port, await PgOutbox.open({ database: database.url, concurrency: CONCURRENCY, logger: quiet }), { stores });
  return {
    name: 'Plugboard outbox (PostgreSQL)',
    durability: 'PostgreSQL commit (synchronous_commit=on: in the WAL on disk)',
    server: ['postgres'],
    path,
    failures: () => [],
    close: async () => {
      await path.outbox.close();
      path.delivery.close();
      stores.close();
      await database.drop();
    },
  };
}

/** Runs the comparison and returns delivered mails per second for each contender. */
export async function runJobQueueBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const tmp = tempDir('queues');
  const received = new Counter();
  const { server, port } = await startSmtpServer(received);
  const contenders: Contender[] = [await plugboardSqlite(port, tmp.dir), await plugboardPostgres(port, tmp.dir)];
  let seq = 0;
  const cpu = new Map<Contender, { own: number[]; server: number[] }>();
  const deliver = async (c: Contender, n: number): Promise<number> => {
    received.reset();
    const done = received.until(n, TIMEOUT_MS, c.name);
    const [own0, server0] = [processCpuMs(), serverCpuMs(c.server)];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const summary = await c.path.engine.dispatch(context(seq++));
      if (summary.rules[0]?.status !== 'ran') throw new Error(`${c.name}: the sendmail rule did not run: ${JSON.stringify(summary.rules)}`);
    }
    await done;
    const rate = n / secondsSince(t0);
    const used = cpu.get(c) ?? { own: [], server: [] };
    used.own.push(((processCpuMs() - own0) * 1e6) / n);
    used.server.push(((serverCpuMs(c.server) - server0) * 1e6) / n);
    cpu.set(c, used);
    return rate;
  };
  const rates = new Map<Contender, number[]>();
  try {
    for (const [i, queue] of [new BullMqQueue(), new PgBossQueue(), new GraphileQueue()].entries()) contenders.push(await queueContender(queue, port, tmp.dir, i));
    log(`${MESSAGES} messages × ${ROUNDS} rounds, ${CONCURRENCY} deliveries in flight, events dispatched one after another`);
    for (const c of contenders) await deliver(c, WARMUP);
    cpu.clear();
    for (let r = 0; r < ROUNDS; r++) {
      // A different order each round, so no contender always runs on a warmer machine.
      const order = contenders.map((_, k) => contenders[(k + r) % contenders.length]);
      for (const c of order) rates.set(c, [...(rates.get(c) ?? []), await deliver(c, MESSAGES)]);
      log(`round ${r + 1}: ${contenders.map((c) => `${c.name.startsWith('Plugboard') ? c.name : c.name.split(' (')[0]} ${(rates.get(c)?.[r] ?? 0).toFixed(0)}/s`).join(', ')}`);
    }
    for (const c of contenders) if (c.failures().length > 0) throw new Error(`${c.name}: ${c.failures().length} deliveries failed: ${String(c.failures()[0])}`);
  } finally {
    for (const c of contenders) await c.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tmp.remove();
  }
  const cpuRows = contenders.flatMap((c) => [
    { scenario: QUEUE_CPU_SCENARIO, contender: `${c.name}: this process`, nsPerOp: median(cpu.get(c)?.own ?? [0]), note: 'CPU per delivered message: rules, queue client, deliveries and the SMTP sink (all threads)' },
    ...(c.server.length > 0 ? [{ scenario: QUEUE_CPU_SCENARIO, contender: `${c.name}: its server`, nsPerOp: median(cpu.get(c)?.server ?? [0]), note: `CPU per delivered message of every ${c.server.join('/')} process (/proc)` }] : []),
  ]);
  return [...contenders.map((c) => ({ scenario: QUEUE_SCENARIO, contender: c.name, nsPerOp: median(rates.get(c) ?? [0]), note: `durability: ${c.durability}` })), ...cpuRows];
}
