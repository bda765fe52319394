/**
 * Mail throughput (issue 5): a UserNotification `sendmail` rule dispatched by the RulesEngine,
 * queued in the outbox (file SQLite in WAL mode) and delivered through the pooled nodemailer
 * transport of NotifyDelivery, against raw pooled nodemailer with the same pool settings
 * (`smtpTransportOptions`). Both send to the same local smtp-server; a message counts when the
 * server has read its whole DATA. Measured beside it, to show what other designs could reach:
 * - the same path with the outbox on `:memory:` (what SQLite tuning could win);
 * - an outbox that stores nothing (what any durable outbox could reach at best);
 * - a sketch of an outbox whose SQLite work runs on a writer thread, with events dispatched one
 *   after another and all at once, and the storeless ceiling for the latter.
 * Extra runs time the SQLite calls on the event-loop thread, splitting what rules + outbox add into
 * SQLite calls and everything else, and time the cheapest durable commit on the same disk.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import rootNodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { EventContext, HandlerModule } from '@plugboard/core';
import { Outbox, type DurableOutbox } from '@plugboard/outbox';
import { HandlerModuleRegistry, RulesEngine, RuleStore, type DispatchSummary } from '@plugboard/rules';
import { NotifyConfigStore, NotifyDelivery, UserNotification, smtpTransportOptions } from '@plugboard/notify';
import type { Measurement } from './harness';
import { Counter, PAIRED_RATIO, median, pairedRatio, pairedRound, secondsSince, tempDir } from './io-harness';
import { durableCommitNs } from './commit-floor';
import { timeSqliteCalls } from './sqlite-clock';
import { StorelessOutbox } from './storeless-outbox';
import { WriterThreadOutbox, awaitingCommits } from './writer-thread-outbox';

const MESSAGES = 500;
const ROUNDS = 7;
const WARMUP = 200;
const TIMEOUT_MS = 30_000;
/** Extra runs of each path with its SQLite calls timed (not part of the throughput rounds). */
const TIMED_RUNS = 3;
/** Deliveries in flight: the Outbox's default, used by every path. */
const CONCURRENCY = 8;

export const MAIL_SCENARIO = 'mail-messages-per-second';
/** Where the time of one message goes, in ns per message, next to what a 0.8× target allows. */
export const MAIL_COST_SCENARIO = 'mail-cost-per-message';
export const RAW_MAIL = 'raw pooled nodemailer';
export const RULES_OUTBOX_MAIL = 'rules + outbox + pooled nodemailer';
export const RULES_MEMORY_MAIL = 'rules + outbox on :memory: (bound)';
export const RULES_STORELESS_MAIL = 'rules + notify, no outbox storage (ceiling)';
export const RULES_WRITER_MAIL = 'rules + writer-thread outbox sketch';
export const RULES_WRITER_CONCURRENT_MAIL = 'rules + writer-thread outbox sketch, events dispatched at once';
export const RULES_STORELESS_CONCURRENT_MAIL = 'rules + notify, no outbox storage, events dispatched at once (ceiling)';

type Nodemailer = typeof rootNodemailer;

/**
 * The nodemailer copy @plugboard/notify itself resolves (its own node_modules may pin another
 * major than the workspace root): the raw baseline must use the same library to measure only
 * what rules + outbox add.
 */
function notifyNodemailer(): { nodemailer: Nodemailer; version: string } {
  const fromNotify = createRequire(require.resolve('@plugboard/notify'));
  return {
    nodemailer: fromNotify('nodemailer') as Nodemailer,
    version: (fromNotify('nodemailer/package.json') as { version: string }).version,
  };
}

function rootNodemailerVersion(): string {
  return (createRequire(__filename)('nodemailer/package.json') as { version: string }).version;
}

const SUBJECT = 'Token {serial} enrolled';
const BODY = 'Hello {givenname},\n\nthe token {serial} was enrolled for {username}.\n';

export function startSmtpServer(counter: Counter): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        counter.hit();
        callback();
      });
      stream.resume();
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port }));
  });
}

export function context(i: number): EventContext {
  return {
    eventId: randomUUID(),
    event: 'token_init',
    position: 'post',
    timestamp: new Date(),
    payload: { serial: `OATH${String(i).padStart(6, '0')}` },
    user: { username: `user${i}`, email: `user${i}@example.org`, givenname: 'Alice' },
    result: { status: 'success' },
  };
}

export interface MailPath<O extends DurableOutbox = Outbox> {
  readonly outbox: O;
  readonly configs: NotifyConfigStore;
  readonly delivery: NotifyDelivery;
  readonly engine: RulesEngine;
}

interface PathOptions {
  /** Database of the rules and notify configurations; default the outbox's (required when it has none, as on PostgreSQL). */
  readonly stores?: Database.Database;
  readonly wrap?: (module: HandlerModule) => HandlerModule;
}

/**
 * The production path: a sendmail rule in a RuleStore, UserNotification, NotifyDelivery and the
 * outbox, on one database (the outbox's unless `stores` is given).
 */
export async function buildPath<O extends DurableOutbox>(port: number, outbox: O, { stores = sqliteOf(outbox), wrap = (module) => module }: PathOptions = {}): Promise<MailPath<O>> {
  const configs = await NotifyConfigStore.open({ database: stores });
  await configs.createSmtp({ name: 'bench', host: '127.0.0.1', port, sender: 'pb@example.org', security: 'none' });
  const delivery = new NotifyDelivery({ outbox, store: configs });
  const registry = new HandlerModuleRegistry({ modules: [wrap(new UserNotification(delivery))] });
  const rules = new RuleStore(stores, { registry });
  // On SQLite the rule is written before create() returns; buildPath stays synchronous.
  void rules.create({
    name: 'tell owner',
    events: ['token_init'],
    handlerModule: 'UserNotification',
    action: 'sendmail',
    options: { emailconfig: 'bench', To: 'tokenowner', subject: SUBJECT, body: BODY },
    conditions: { result_status: 'success' },
  });
  const engine = new RulesEngine({ store: rules, registry });
  outbox.start();
  return { outbox, configs, delivery, engine };
}

function sqliteOf(outbox: DurableOutbox): Database.Database {
  if (outbox instanceof Outbox) return outbox.db;
  throw new Error('buildPath: this outbox has no SQLite connection; pass `stores`');
}

/** Runs the mail throughput scenario and returns messages per second for both contenders. */
export async function runMailBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const tmp = tempDir('mail');
  const received = new Counter();
  const { server, port } = await startSmtpServer(received);

  const durable = await buildPath(port, new Outbox({ database: join(tmp.dir, 'host.db'), concurrency: CONCURRENCY })); // opens the file in WAL mode
  // The same path on an in-memory database: no file I/O at all, so not durable. It bounds what
  // any tuning of the outbox's SQLite writes could reach on this machine.
  const inMemory = await buildPath(port, new Outbox({ database: ':memory:', concurrency: CONCURRENCY }));
  // The same rules, rendering and deliverer with nothing stored at all: the ceiling of any
  // durable outbox, wherever its SQLite work runs.
  const storelessOutbox = new StorelessOutbox(CONCURRENCY);
  const storeless = await buildPath(port, storelessOutbox);
  // SQLite on a second thread, each rule's action waiting for its messages' commit: see
  // writer-thread-outbox.ts. The rules' event log and the configurations stay on this thread, in
  // a file of their own so they never wait for the writer's lock.
  const writerOutbox = new WriterThreadOutbox(join(tmp.dir, 'writer.db'), CONCURRENCY);
  const writerStores = new Database(join(tmp.dir, 'writer-stores.db'));
  writerStores.pragma('journal_mode = WAL');
  writerStores.pragma('synchronous = NORMAL');
  const writer = await buildPath(port, writerOutbox, { stores: writerStores, wrap: (module) => awaitingCommits(module, writerOutbox) });
  const { outbox, configs } = durable;
  const config = configs.getSmtp('bench');
  const same = notifyNodemailer();
  const otherVersion = rootNodemailerVersion();
  const raw = same.nodemailer.createTransport(smtpTransportOptions(config));
  // Only when the workspace root resolves a different nodemailer: shows what the library version alone changes.
  const other = otherVersion !== same.version ? rootNodemailer.createTransport(smtpTransportOptions(config)) : undefined;
  log(`pool: ${config.maxConnections} connections; outbox concurrency ${CONCURRENCY}; nodemailer ${same.version} (notify's)${other ? `, root ${otherVersion}` : ''}; ${MESSAGES} messages × ${ROUNDS} rounds`);

  // The durable path alone: the same outbox, a deliverer that does nothing.
  let noopDelivered = 0;
  outbox.register('bench-noop', () => {
    noopDelivered += 1;
    return { detail: 'ok' };
  });
  const payload = { emailconfig: 'bench', to: { address: 'user1@example.org', name: 'Alice' }, subject: 'Token OATH000001 enrolled', mimetype: 'plain', body: BODY };

  let seq = 0;
  const dispatchSeconds: number[] = [];
  const checkRan = (summary: DispatchSummary): void => {
    if (summary.rules[0]?.status !== 'ran') throw new Error(`the sendmail rule did not run: ${JSON.stringify(summary.rules)}`);
  };
  /** `timeDispatch`: whether this run's dispatch loop counts toward the dispatch cost row (never a run with SQLite calls timed). */
  const viaRules = async (n: number, path = durable, timeDispatch = path === durable): Promise<number> => {
    received.reset();
    const done = received.until(n, TIMEOUT_MS, 'rules + outbox');
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) checkRan(await path.engine.dispatch(context(seq++)));
    if (timeDispatch) dispatchSeconds.push(secondsSince(t0));
    await done;
    return n / secondsSince(t0);
  };
  /** Like viaRules, with all `n` events dispatched at once, as rawSend queues all its mails at once. */
  const viaRulesAtOnce = async (n: number, path: MailPath): Promise<number> => {
    received.reset();
    const done = received.until(n, TIMEOUT_MS, 'rules + outbox, events at once');
    const t0 = process.hrtime.bigint();
    const dispatches: Promise<DispatchSummary>[] = [];
    for (let i = 0; i < n; i++) dispatches.push(path.engine.dispatch(context(seq++)));
    for (const summary of await Promise.all(dispatches)) checkRan(summary);
    await done;
    return n / secondsSince(t0);
  };
  /** Seconds per message to enqueue and deliver through the outbox with nothing to send. */
  const outboxAlone = async (n: number): Promise<number> => {
    const before = noopDelivered;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) outbox.enqueue('bench-noop', payload, { dedupeKey: randomUUID() });
    await outbox.drain({ timeoutMs: TIMEOUT_MS });
    const seconds = secondsSince(t0);
    if (noopDelivered - before !== n) throw new Error(`outbox alone delivered ${noopDelivered - before} of ${n}`);
    return seconds / n;
  };
  const rawSend = async (n: number, transport = raw): Promise<number> => {
    received.reset();
    const done = received.until(n, TIMEOUT_MS, 'raw nodemailer');
    const t0 = process.hrtime.bigint();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const k = seq++;
      const serial = `OATH${String(k).padStart(6, '0')}`;
      sends.push(
        transport.sendMail({
          from: config.sender,
          to: { name: 'Alice', address: `user${k}@example.org` },
          subject: `Token ${serial} enrolled`,
          text: `Hello Alice,\n\nthe token ${serial} was enrolled for user${k}.\n`,
          messageId: `<${randomUUID()}@plugboard>`,
        }),
      );
    }
    await Promise.all(sends);
    await done;
    return n / secondsSince(t0);
  };

  const rates = {
    raw: [] as number[],
    rules: [] as number[],
    memory: [] as number[],
    storeless: [] as number[],
    writer: [] as number[],
    writerAtOnce: [] as number[],
    storelessAtOnce: [] as number[],
    other: [] as number[],
  };
  const alone: number[] = [];
  const sqliteSeconds = { durable: [] as number[], memory: [] as number[] };
  /** Seconds per message of the no-op outbox runs outside their SQLite calls. */
  const aloneBesidesSqlite: number[] = [];
  const commitFloor: number[] = [];
  try {
    await rawSend(WARMUP);
    await viaRules(WARMUP, durable, false);
    await outboxAlone(WARMUP);
    await viaRules(WARMUP, inMemory);
    await viaRules(WARMUP, storeless);
    await viaRules(WARMUP, writer);
    await viaRulesAtOnce(WARMUP, writer);
    await viaRulesAtOnce(WARMUP, storeless);
    if (other) await rawSend(WARMUP, other);
    for (let r = 0; r < ROUNDS; r++) {
      const [base, ours] = await pairedRound(r, () => rawSend(MESSAGES), () => viaRules(MESSAGES));
      rates.raw.push(base);
      rates.rules.push(ours);
      rates.memory.push(await viaRules(MESSAGES, inMemory));
      rates.storeless.push(await viaRules(MESSAGES, storeless));
      rates.writer.push(await viaRules(MESSAGES, writer));
      rates.writerAtOnce.push(await viaRulesAtOnce(MESSAGES, writer));
      rates.storelessAtOnce.push(await viaRulesAtOnce(MESSAGES, storeless));
      if (other) rates.other.push(await rawSend(MESSAGES, other));
      alone.push(await outboxAlone(MESSAGES));
      log(`round ${r + 1}: raw ${rates.raw[r].toFixed(0)}/s, rules + outbox ${rates.rules[r].toFixed(0)}/s, on :memory: ${rates.memory[r].toFixed(0)}/s, storing nothing ${rates.storeless[r].toFixed(0)}/s, writer thread ${rates.writer[r].toFixed(0)}/s (at once ${rates.writerAtOnce[r].toFixed(0)}/s; storing nothing at once ${rates.storelessAtOnce[r].toFixed(0)}/s)${other ? `, raw nodemailer ${otherVersion} ${rates.other[r].toFixed(0)}/s` : ''}`);
    }
    // After the rounds, so the timing wrappers never slow a measured run.
    for (let r = 0; r < TIMED_RUNS; r++) {
      sqliteSeconds.durable.push((await timeSqliteCalls(outbox.db, () => viaRules(MESSAGES, durable, false))).seconds / MESSAGES);
      sqliteSeconds.memory.push((await timeSqliteCalls(inMemory.outbox.db, () => viaRules(MESSAGES, inMemory))).seconds / MESSAGES);
      const timedAlone = await timeSqliteCalls(outbox.db, () => outboxAlone(MESSAGES));
      aloneBesidesSqlite.push(timedAlone.result - timedAlone.seconds / MESSAGES);
      commitFloor.push(durableCommitNs(tmp.dir, JSON.stringify(payload).length));
    }
    await outbox.drain(); // the server counts a message before the outbox commits its outcome
    const counts = outbox.counts();
    const perPath = WARMUP + (ROUNDS + TIMED_RUNS) * MESSAGES;
    const expected = 2 * perPath; // mails and no-op messages
    if (counts.delivered !== expected) throw new Error(`outbox delivered ${counts.delivered}, expected ${expected}`);
    await inMemory.outbox.drain();
    const inMemoryDelivered = inMemory.outbox.counts().delivered;
    if (inMemoryDelivered !== perPath) throw new Error(`the in-memory outbox delivered ${inMemoryDelivered}, expected ${perPath}`);
    const writerDelivered = await writerOutbox.deliveredCount();
    const writerExpected = 2 * (WARMUP + ROUNDS * MESSAGES);
    if (writerDelivered !== writerExpected) throw new Error(`the writer thread recorded ${writerDelivered} deliveries, expected ${writerExpected}`);
    for (const [name, sketch] of [['storeless', storelessOutbox], ['writer-thread', writerOutbox]] as const) {
      if (sketch.failures.length > 0) throw new Error(`the ${name} path failed ${sketch.failures.length} deliveries: ${String(sketch.failures[0])}`);
    }
  } finally {
    for (const path of [durable, inMemory, storeless, writer]) {
      await path.outbox.close(); // also closes the database it opened
      path.delivery.close();
    }
    writerStores.close();
    raw.close();
    other?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tmp.remove();
  }

  const rawRate = median(rates.raw);
  const rulesRate = median(rates.rules);
  const ratio = pairedRatio(rates.rules, rates.raw);
  const out: Measurement[] = [
    {
      scenario: MAIL_SCENARIO,
      contender: RAW_MAIL,
      nsPerOp: rawRate,
      note: `nodemailer ${same.version} (the copy notify uses); all ${MESSAGES} sendMail calls queued on the pool at once; median of ${ROUNDS} runs`,
    },
    {
      scenario: MAIL_SCENARIO,
      contender: RULES_OUTBOX_MAIL,
      nsPerOp: rulesRate,
      note: `${(rulesRate / rawRate).toFixed(2)}× raw by medians; RulesEngine.dispatch awaited per event, outbox on a file DB (WAL, background checkpoints), concurrency 8`,
    },
    {
      scenario: MAIL_SCENARIO,
      contender: PAIRED_RATIO,
      nsPerOp: ratio,
      note: `rules + outbox ÷ raw, median of the ${ROUNDS} back-to-back rounds: ${rates.rules.map((x, i) => (x / rates.raw[i]).toFixed(2)).join(', ')}`,
    },
  ];
  const rawNs = 1e9 / rawRate;
  out.push(
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'raw pooled nodemailer, whole send',
      nsPerOp: rawNs,
      note: 'from the median raw rate: nodemailer and the in-process smtp-server share one thread',
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'allowance for a 0.8× target',
      nsPerOp: rawNs * (1 / 0.8 - 1),
      note: 'everything rules + outbox may add per message: a quarter of the raw send',
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'rules dispatch with the sendmail action',
      nsPerOp: (median(dispatchSeconds) * 1e9) / MESSAGES,
      note: 'RulesEngine.dispatch awaited per event: matching, conditions, rendering, recipients, the config check and the outbox INSERT commit',
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'outbox alone, no-op deliverer',
      nsPerOp: median(alone) * 1e9,
      note: `enqueue (INSERT commit) + claim + outcome + attempt row, on the same file database; median of ${ROUNDS} runs of ${MESSAGES}`,
    },
  );
  const sqliteNs = median(sqliteSeconds.durable) * 1e9;
  // From the paired ratio, which the machine's drift moves least (see pairedRatio).
  const overheadNs = rawNs * (1 / ratio - 1);
  out.push(
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'SQLite calls on the event-loop thread, file DB',
      nsPerOp: sqliteNs,
      note: `wall time inside better-sqlite3 calls (enqueue commit, claim and outcome transactions, event log) per message of rules + outbox; median of ${TIMED_RUNS} extra runs with the calls timed: at most what moving SQLite work to another thread could take off the event loop`,
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'SQLite calls on the event-loop thread, :memory:',
      nsPerOp: median(sqliteSeconds.memory) * 1e9,
      note: `the same on the in-memory outbox: SQLite's own CPU without file I/O; median of ${TIMED_RUNS} runs`,
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'outbox alone, besides SQLite calls',
      nsPerOp: median(aloneBesidesSqlite) * 1e9,
      note: `the no-op outbox run minus its timed SQLite calls: the outbox's own scheduling (ticks, claims, attempt timers, events); median of ${TIMED_RUNS} runs`,
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'what rules + outbox add besides SQLite calls',
      nsPerOp: overheadNs - sqliteNs,
      note: `raw send × (1 / paired ratio − 1) − the SQLite calls above: rule dispatch, rendering, the outbox's scheduling, promises and timers, on the event-loop thread; the allowance above is ${(rawNs * (1 / 0.8 - 1) / 1000).toFixed(0)} µs`,
    },
  );
  // What rules, rendering and the deliverer cost with nothing stored, and so what a 0.8× target
  // leaves for the outbox's storage, on this thread or another.
  const storelessNs = rawNs * (1 / pairedRatio(rates.storeless, rates.raw) - 1);
  out.push(
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'rules + notify with no outbox storage',
      nsPerOp: storelessNs,
      note: `${storelessNs < 0 ? 'negative in this run: the storeless path beat raw in the paired rounds, which only the machine\'s noise can do; ' : ''}raw send × (1 / paired ratio of the storeless path − 1): rule dispatch, rendering, recipients, the event log and the deliverer, with no outbox row at all`,
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'one durable one-row commit',
      nsPerOp: median(commitFloor),
      note: `the floor per message of an outbox that commits each message on its own, as a synchronous enqueue outside a host transaction does: an autocommitted INSERT of one ${JSON.stringify(payload).length}-byte row into a table without indexes, file DB in WAL mode, synchronous = NORMAL; median of ${TIMED_RUNS} runs of 5,000`,
    },
    {
      scenario: MAIL_COST_SCENARIO,
      contender: 'left for outbox storage under 0.8×',
      nsPerOp: rawNs * (1 / 0.8 - 1) - storelessNs,
      note: 'the allowance minus the row above: what storing, claiming and recording each message may cost on the event-loop thread, including any messaging with a writer thread; compare the SQLite rows above',
    },
  );
  const memoryRate = median(rates.memory);
  out.push({
    scenario: MAIL_SCENARIO,
    contender: RULES_MEMORY_MAIL,
    nsPerOp: memoryRate,
    note: `a bound, not durable: the same path with the outbox on :memory: (no file I/O); ${pairedRatio(rates.memory, rates.raw).toFixed(2)}× raw paired with each round's raw run (${(memoryRate / rawRate).toFixed(2)}× by medians); run right after each paired round`,
  });
  const storelessRate = median(rates.storeless);
  out.push({
    scenario: MAIL_SCENARIO,
    contender: RULES_STORELESS_MAIL,
    nsPerOp: storelessRate,
    note: `a ceiling, not durable: the same rules, rendering and deliverer with an outbox that stores nothing and hands each message to nodemailer (${CONCURRENCY} in flight); ${pairedRatio(rates.storeless, rates.raw).toFixed(2)}× raw paired with each round's raw run; no durable outbox can exceed this`,
  });
  out.push(
    {
      scenario: MAIL_SCENARIO,
      contender: RULES_WRITER_MAIL,
      nsPerOp: median(rates.writer),
      note: `a sketch (bench/writer-thread-outbox.ts): outbox SQLite on a second thread, each action waiting for its commit, the rest as above; ${pairedRatio(rates.writer, rates.raw).toFixed(2)}× raw paired with each round's raw run`,
    },
    {
      scenario: MAIL_SCENARIO,
      contender: RULES_WRITER_CONCURRENT_MAIL,
      nsPerOp: median(rates.writerAtOnce),
      note: `the sketch with all ${MESSAGES} events dispatched at once (as raw queues all its mails), so its commits and acknowledgements batch; ${pairedRatio(rates.writerAtOnce, rates.raw).toFixed(2)}× raw paired`,
    },
    {
      scenario: MAIL_SCENARIO,
      contender: RULES_STORELESS_CONCURRENT_MAIL,
      nsPerOp: median(rates.storelessAtOnce),
      note: `the ceiling for the row above: nothing stored, events dispatched at once; ${pairedRatio(rates.storelessAtOnce, rates.raw).toFixed(2)}× raw paired`,
    },
  );
  if (other) {
    const otherRate = median(rates.other);
    out.push({
      scenario: MAIL_SCENARIO,
      contender: `raw pooled nodemailer ${otherVersion}`,
      nsPerOp: otherRate,
      note: `the workspace root's copy, same pool settings: ${(otherRate / rawRate).toFixed(2)}× nodemailer ${same.version}`,
    });
  }
  return out;
}
