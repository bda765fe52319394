/**
 * The outbox's store before and after the move to Kysely, in one run: the SQLite hot paths
 * (synchronous enqueue commit; enqueue + claim + outcome per delivered message) of the code at
 * OUTBOX_BASE_REF against today's, interleaved round by round so a busy machine slows both alike;
 * what an awaited Kysely insert would cost on SQLite instead of the prepared statement; and the
 * PostgreSQL outbox in one process.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Client } from 'pg';
import { Outbox, PermanentDeliveryError, PgOutbox } from '@plugboard/outbox';
import { timeAsync, timeSync, type Measurement } from './harness';
import { pgScaling } from './pg-outbox-scaling';

/** The last commit before Kysely. */
const BASE_REF = process.env.OUTBOX_BASE_REF ?? 'ce99d8e';
const PG_URL = process.env.PLUGBOARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = 6;
const MESSAGES = 3000;
const logger = { info() {}, warn() {}, error() {} };

type OutboxClass = typeof Outbox;

const root = join(__dirname, '..');
/** Inside the repository so `@plugboard/core` and better-sqlite3 resolve (ts-node skips node_modules); removed after the suite. */
const baseDir = join(root, 'bench', `.outbox-base-${BASE_REF}`);

/** The base commit's outbox sources. */
async function loadBase(): Promise<OutboxClass> {
  const dir = baseDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', BASE_REF, 'plugins/outbox/src'], { cwd: root });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return ((await import(join(dir, 'plugins/outbox/src/index.ts'))) as { Outbox: OutboxClass }).Outbox;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ns per synchronous enqueue (one autocommitted INSERT) on a WAL file. */
function enqueueNs(Impl: OutboxClass, dir: string, round: number): number {
  const outbox = new Impl({ database: join(dir, `enqueue-${round}-${Impl === Outbox ? 'a' : 'b'}.db`), logger });
  try {
    return timeSync(() => outbox.enqueue('bench', { to: 'a@example.org', subject: 'hi' }), { batch: 2000, samples: 3, warmup: 500 });
  } finally {
    void outbox.close();
  }
}

/** ns per message to enqueue and deliver (claim, outcome and attempt row) with a no-op deliverer. */
async function deliverNs(Impl: OutboxClass, dir: string, round: number): Promise<number> {
  const outbox = new Impl({ database: join(dir, `deliver-${round}-${Impl === Outbox ? 'a' : 'b'}.db`), logger });
  outbox.register('bench', () => undefined);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) outbox.enqueue('bench', { n: i });
  await outbox.drain();
  const ns = Number(process.hrtime.bigint() - t0) / MESSAGES;
  await outbox.close();
  return ns;
}

const ADMIN_OPS = ['get', 'attempts', 'list-20', 'list-dead-20', 'counts'] as const;
type AdminOp = (typeof ADMIN_OPS)[number];

/** ns per admin read on 2,000 messages (every 10th dead, the rest delivered, an attempt each). */
async function adminNs(Impl: OutboxClass, dir: string, round: number): Promise<Record<AdminOp, number>> {
  const outbox = new Impl({ database: join(dir, `admin-${round}-${Impl === Outbox ? 'a' : 'b'}.db`), logger });
  outbox.register('bench', (m) => {
    if ((m.payload as { n: number }).n % 10 === 0) throw new PermanentDeliveryError('550');
  });
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) ids.push(outbox.enqueue('bench', { n: i }).id);
  await outbox.drain();
  let n = 0;
  const id = () => ids[n++ % ids.length] as string;
  const opts = { batch: 500, samples: 3, warmup: 200 };
  const out = {
    get: timeSync(() => outbox.get(id()), opts),
    attempts: timeSync(() => outbox.attempts(id()), opts),
    'list-20': timeSync(() => outbox.list({ limit: 20 }), opts),
    'list-dead-20': timeSync(() => outbox.list({ state: 'dead', limit: 20 }), opts),
    counts: timeSync(() => outbox.counts(), opts),
  };
  await outbox.close();
  return out;
}

async function sqliteBeforeAfter(dir: string, log: (l: string) => void): Promise<Measurement[]> {
  const Base = await loadBase();
  const runs = { enqA: [] as number[], enqB: [] as number[], delA: [] as number[], delB: [] as number[] };
  const admin = { a: [] as Record<AdminOp, number>[], b: [] as Record<AdminOp, number>[] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating which goes first, so a drift in the machine's load favours neither.
    const order = r % 2 === 0 ? ([Base, Outbox] as const) : ([Outbox, Base] as const);
    for (const Impl of order) (Impl === Outbox ? runs.enqA : runs.enqB).push(enqueueNs(Impl, dir, r));
    for (const Impl of order) (Impl === Outbox ? runs.delA : runs.delB).push(await deliverNs(Impl, dir, r));
    for (const Impl of order) (Impl === Outbox ? admin.a : admin.b).push(await adminNs(Impl, dir, r));
    log(`round ${r + 1}/${ROUNDS}`);
  }
  // The spread goes into the note: on a shared machine it is often wider than any difference.
  const spread = (xs: number[]) => `rounds ${Math.round(Math.min(...xs) / 1000)}–${Math.round(Math.max(...xs) / 1000)} µs`;
  const note = (what: string, xs: number[]) => `${what}; median of ${ROUNDS} interleaved rounds (${spread(xs)})`;
  return [
    { scenario: 'outbox-sqlite-enqueue', contender: `before (${BASE_REF})`, nsPerOp: median(runs.enqB), note: note('synchronous enqueue, file DB, WAL', runs.enqB) },
    { scenario: 'outbox-sqlite-enqueue', contender: 'after (Kysely migrations)', nsPerOp: median(runs.enqA), note: note('synchronous enqueue, file DB, WAL', runs.enqA) },
    { scenario: 'outbox-sqlite-enqueue-deliver', contender: `before (${BASE_REF})`, nsPerOp: median(runs.delB), note: note(`${MESSAGES} enqueued then drained, no-op deliverer`, runs.delB) },
    { scenario: 'outbox-sqlite-enqueue-deliver', contender: 'after (Kysely migrations)', nsPerOp: median(runs.delA), note: note(`${MESSAGES} enqueued then drained, no-op deliverer`, runs.delA) },
    ...ADMIN_OPS.flatMap((op) => [
      { scenario: `outbox-sqlite-admin-${op}`, contender: `before (${BASE_REF})`, nsPerOp: median(admin.b.map((x) => x[op])), note: note('2,000 messages, file DB', admin.b.map((x) => x[op])) },
      { scenario: `outbox-sqlite-admin-${op}`, contender: 'after (shared queries)', nsPerOp: median(admin.a.map((x) => x[op])), note: note('2,000 messages, file DB', admin.a.map((x) => x[op])) },
    ]),
  ];
}

/** The enqueue INSERT three ways on one SQLite file: prepared statement, Kysely awaited, Kysely compiled once. */
async function kyselyOnSqlite(dir: string): Promise<Measurement[]> {
  const db = new Database(join(dir, 'kysely.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  new Outbox({ database: db, logger, checkpoints: 'sqlite' }); // creates the tables
  const k = new Kysely<{ outbox_messages: { id: string; channel: string; payload: string; state: string; attempts: number; due_at: number; created_at: number; updated_at: number } }>({ dialect: new SqliteDialect({ database: db }) });
  let n = 0;
  const row = () => ({ id: `m${n++}`, channel: 'bench', payload: '{"to":"a"}', state: 'pending', attempts: 0, due_at: 1, created_at: 1, updated_at: 1 });
  const prepared = db.prepare('INSERT INTO outbox_messages (id, channel, payload, state, attempts, due_at, created_at, updated_at) VALUES (@id, @channel, @payload, @state, @attempts, @due_at, @created_at, @updated_at) ON CONFLICT DO NOTHING');
  const preparedNs = timeSync(() => prepared.run(row()), { batch: 2000, samples: 5, warmup: 500 });
  const awaitedNs = await timeAsync(() => k.insertInto('outbox_messages').values(row()).onConflict((oc) => oc.doNothing()).execute(), { batch: 2000, samples: 5 });
  const compiled = k.insertInto('outbox_messages').values(row()).onConflict((oc) => oc.doNothing()).compile();
  const fromCompiled = db.prepare(compiled.sql);
  const compiledNs = timeSync(() => { const r = row(); return fromCompiled.run(r.id, r.channel, r.payload, r.state, r.attempts, r.due_at, r.created_at, r.updated_at); }, { batch: 2000, samples: 5, warmup: 500 });
  await k.destroy();
  const note = 'one autocommitted INSERT of the enqueue row, file DB, WAL, synchronous = NORMAL';
  return [
    { scenario: 'outbox-sqlite-insert-ways', contender: 'better-sqlite3 prepared (the outbox hot path)', nsPerOp: preparedNs, note },
    { scenario: 'outbox-sqlite-insert-ways', contender: 'Kysely query compiled once, run prepared', nsPerOp: compiledNs, note },
    { scenario: 'outbox-sqlite-insert-ways', contender: 'Kysely insertInto().execute() awaited', nsPerOp: awaitedNs, note },
  ];
}

/** The PostgreSQL outbox in one process, on a schema of its own. */
async function postgres(): Promise<Measurement[]> {
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  const schema = `bench_${process.pid}`;
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const outbox = await PgOutbox.open({ database: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, logger });
  try {
    const enqueueNsPg = await timeAsync(() => outbox.enqueue('bench', { to: 'a' }), { batch: 500, samples: 5 });
    outbox.register('bench', () => undefined);
    await outbox.drain();
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      await Promise.all(Array.from({ length: 1000 }, (_, i) => outbox.enqueue('bench', { n: i })));
      await outbox.drain();
      runs.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return [
      { scenario: 'outbox-postgres', contender: 'enqueue awaited one at a time (INSERT commit + NOTIFY trigger)', nsPerOp: enqueueNsPg, note: 'default durability (synchronous_commit on), 127.0.0.1' },
      { scenario: 'outbox-postgres', contender: 'enqueue + deliver per message, one process, concurrency 8', nsPerOp: median(runs), note: '1,000 enqueued concurrently then drained (SKIP LOCKED claim, outcome and attempt row per tick); median of 3' },
    ];
  } finally {
    await outbox.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

/** Every measurement of this suite. */
export async function runOutboxStoreBenchmarks(log: (l: string) => void): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-bench-outbox-'));
  try {
    const out = await sqliteBeforeAfter(dir, log);
    out.push(...(await kyselyOnSqlite(dir)));
    log('postgres');
    out.push(...(await postgres()));
    out.push(...(await pgScaling(PG_URL, log)));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(baseDir, { recursive: true, force: true });
  }
}
