import os from 'node:os';
import type { Measurement } from './harness';
import { PAIRED_RATIO } from './io-harness';

/** One target from the issues, checked against measured numbers. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** Why a target can be missed here, shown next to a miss. */
  readonly why?: string;
}

function get(results: readonly Measurement[], scenario: string, contender: string): number {
  const m = results.find((r) => r.scenario === scenario && r.contender === contender);
  if (!m) throw new Error(`missing measurement ${scenario}/${contender}`);
  return m.nsPerOp;
}

function fastestPeer(results: readonly Measurement[], scenario: string, exclude: readonly string[]): Measurement {
  const peers = results.filter((r) => r.scenario === scenario && !exclude.includes(r.contender));
  return peers.reduce((a, b) => (b.nsPerOp < a.nsPerOp ? b : a));
}

/** The hook-dispatch targets of the foundation issue. */
export function hookTargets(results: readonly Measurement[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const scenario of ['notify-sync-1', 'notify-sync-100', 'collect-sync-10']) {
    const pb = get(results, scenario, 'plugboard');
    const tap = get(results, scenario, 'tapable');
    checks.push({ target: `${scenario}: within 1.2× of tapable`, measured: `${(pb / tap).toFixed(2)}×`, met: pb <= tap * 1.2 });
    const peer = fastestPeer(results, scenario, ['plugboard', 'plugboard bus.call', 'tapable', 'loop']);
    checks.push({ target: `${scenario}: faster than every other peer`, measured: `fastest other: ${peer.contender} at ${(peer.nsPerOp / pb).toFixed(2)}× plugboard's time`, met: pb < peer.nsPerOp });
  }
  const pbA = get(results, 'collect-async-10', 'plugboard');
  const loopA = get(results, 'collect-async-10', 'loop');
  checks.push({
    target: 'collect-async-10: within 1.2× of hand-written Promise.all',
    measured: `${(pbA / loopA).toFixed(2)}× (${pbA.toFixed(0)} vs ${loopA.toFixed(0)} ns)`,
    met: pbA <= loopA * 1.2,
    why: 'each listener gets its context argument and returned lists are flattened, about 150-200 ns over ten promises; the hand-written loop itself moves by ±10% between runs on this machine, so the ratio straddles 1.2',
  });
  const peerA = fastestPeer(results, 'collect-async-10', ['plugboard', 'plugboard bus.call', 'loop']);
  checks.push({ target: 'collect-async-10: faster than every peer', measured: `fastest peer: ${peerA.contender} at ${(peerA.nsPerOp / pbA).toFixed(2)}× plugboard's time`, met: pbA < peerA.nsPerOp });

  const first = get(results, 'first-call-after-change-10', 'plugboard');
  const steady = get(results, 'steady-call-10', 'plugboard');
  checks.push({ target: 'first call after a change: within 2× of a steady call', measured: `${(first / steady).toFixed(2)}× (tapable: ${(get(results, 'first-call-after-change-10', 'tapable') / get(results, 'steady-call-10', 'tapable')).toFixed(0)}×)`, met: first <= steady * 2 });

  const churnPb = get(results, 'churn', 'plugboard');
  const churnLoop = get(results, 'churn', 'loop');
  checks.push({ target: 'churn: within 1.5× of the hand-written splice', measured: `${(churnPb / churnLoop).toFixed(2)}×`, met: churnPb <= churnLoop * 1.5 });

  const mem = get(results, 'memory-per-listener', 'plugboard');
  const peers = ['tapable', 'EventEmitter', 'eventemitter3', '@wordpress/hooks'].map((c) => `${c} ${get(results, 'memory-per-listener', c).toFixed(0)}`).join(', ');
  checks.push({
    target: 'memory: under 60 bytes per registered listener',
    measured: `${mem.toFixed(0)} bytes (${peers})`,
    met: mem < 60,
    why: 'an entry object holds the function, its extension and its registration order (24-byte header + 4 fields = 56 bytes on 64-bit V8 without pointer compression) plus its slot in the hook array; at 10 listeners per extension each extension (name, state, per-hook counts) adds about 20 bytes per listener. Under 60 needs the listeners stored as parallel arrays instead of objects, a change to every dispatch path',
  });
  return checks;
}

/** Checked on the median of per-round ratios (see pairedRatio in io-harness); the medians of the rates are shown beside it. */
function ratioCheck(results: readonly Measurement[], scenario: string, contender: string, baseline: string, min: number): TargetCheck {
  const ours = get(results, scenario, contender);
  const base = get(results, scenario, baseline);
  const ratio = get(results, scenario, PAIRED_RATIO);
  return {
    target: `${scenario}: ${contender} ≥ ${min}× ${baseline}`,
    measured: `${ratio.toFixed(2)}× (median of paired rounds; medians ${ours.toFixed(0)} vs ${base.toFixed(0)} per second = ${(ours / base).toFixed(2)}×)`,
    met: ratio >= min,
  };
}

/**
 * Issue 5 asked for mail through rules + outbox at ≥ 0.8× raw pooled nodemailer; issue 19
 * withdrew that target (the durable commit alone leaves no room for it here) and compares with
 * job queues instead (the `queues` suite). The ratio stays as a reference.
 */
export function mailTargets(results: readonly Measurement[]): TargetCheck[] {
  const check = ratioCheck(results, 'mail-messages-per-second', 'rules + outbox + pooled nodemailer', 'raw pooled nodemailer', 0.8);
  return [{ ...check, target: `reference (target withdrawn by issue 19, see queues): ${check.target}`, met: true }];
}

/** Issue 5: rule-matching overhead per event, 1,000 rules defined and 10 matching. */
export function rulesTargets(results: readonly Measurement[]): TargetCheck[] {
  const scenario = 'rules-1000-defined-10-matching';
  const dispatch = get(results, scenario, 'RulesEngine.dispatch (event log on)');
  const conditions = get(results, scenario, 'match + conditions');
  return [
    { target: `${scenario}: rule-matching overhead (select the 10 rules, check their conditions) under 50 µs per event`, measured: `${(conditions / 1000).toFixed(2)} µs`, met: conditions < 50_000 },
    { target: `${scenario}: stricter reading — whole dispatch including the SQLite event-log writes under 50 µs`, measured: `${(dispatch / 1000).toFixed(1)} µs`, met: dispatch < 50_000 },
  ];
}

/** Issue 6: webhook deliveries through the outbox against a plain fetch loop. */
export function webhookTargets(results: readonly Measurement[]): TargetCheck[] {
  return [ratioCheck(results, 'webhook-deliveries-per-second', 'Webhooks + outbox', 'fetch loop', 0.8)];
}

/**
 * Issue 7 asks for these numbers side by side but sets no ratio: the checks state the
 * comparison and pass when both sides were measured.
 */
export function redisTargets(results: readonly Measurement[]): TargetCheck[] {
  const pubsub = 'redis-pubsub-events-per-second';
  const bench = get(results, pubsub, 'redis-benchmark PUBLISH');
  const bridge = get(results, pubsub, 'bridge publish → onEvent (50 in flight)');
  const client = get(results, pubsub, 'ioredis PUBLISH → PSUBSCRIBE (50 in flight)');
  const durable = get(results, 'redis-durable-events-per-second', 'bridge durable publish → consume → XACK (50 in flight)');
  return [
    {
      target: `${pubsub}: bridge round trip measured against redis-benchmark PUBLISH in the same run (no ratio set by the issue)`,
      measured: `${bridge.toFixed(0)} vs ${bench.toFixed(0)} per second = ${(bridge / bench).toFixed(2)}× (bare ioredis round trip: ${(client / bench).toFixed(2)}×)`,
      met: bridge > 0 && bench > 0,
    },
    {
      target: 'redis-durable-events-per-second: durable mode measured (no number set by the issue)',
      measured: `${durable.toFixed(0)} per second = ${(durable / bridge).toFixed(2)}× the pub/sub round trip`,
      met: durable > 0,
    },
  ];
}

/** The extension-package targets of issue 16. */
export function packageTargets(results: readonly Measurement[]): TargetCheck[] {
  const hot = get(results, 'package-hot-add-ms', 'plugboard');
  const start = get(results, 'host-start-ms', '50 packages');
  const bare = get(results, 'host-start-ms', 'no packages');
  const fromPackages = get(results, 'package-dispatch-10', 'from packages');
  const local = get(results, 'package-dispatch-10', 'in-process defineExtension');
  return [
    { target: 'hot-add one small package to a running host (npm excluded) under 50 ms', measured: `${hot.toFixed(1)} ms`, met: hot < 50 },
    { target: 'host start with 50 extension packages under 1 s', measured: `${start.toFixed(0)} ms (${bare.toFixed(0)} ms with none)`, met: start < 1000 },
    {
      target: 'dispatch through package-loaded extensions as fast as in-process ones (within noise, 10%)',
      measured: `${(fromPackages / local).toFixed(2)}× (${fromPackages.toFixed(0)} vs ${local.toFixed(0)} ns per call)`,
      met: fromPackages <= local * 1.1,
    },
  ];
}

/** Issue 21: a sandboxed listener's round trip under 30 µs. */
export function sandboxTargets(results: readonly Measurement[]): TargetCheck[] {
  const sandboxed = get(results, 'sandbox-roundtrip', 'sandboxed');
  const local = get(results, 'sandbox-roundtrip', 'in-process');
  const floor = get(results, 'sandbox-roundtrip', 'bare postMessage echo');
  const measured = `${(sandboxed / 1000).toFixed(1)} µs (bare postMessage echo: ${(floor / 1000).toFixed(1)} µs; in-process: ${(local / 1000).toFixed(2)} µs)`;
  return [
    {
      target: 'sandboxed listener round trip (async notify, small payload) under 30 µs',
      measured,
      met: sandboxed < 30_000,
      why: 'a bare postMessage to a worker and back already takes about 28-38 µs on this 2-CPU machine (thread wake-ups both ways); the sandbox adds a few µs over that floor',
    },
  ];
}

/**
 * Issue 19: delivered mails/s through rules + a durable store, Plugboard's outbox against the
 * same path through BullMQ, pg-boss and graphile-worker. Each Plugboard store measured must be
 * ahead of all three.
 */
export function queueTargets(results: readonly Measurement[]): TargetCheck[] {
  const scenario = 'durable-mail-per-second-vs-job-queues';
  const rows = results.filter((r) => r.scenario === scenario);
  const ours = rows.filter((r) => r.contender.startsWith('Plugboard'));
  const peers = rows.filter((r) => !r.contender.startsWith('Plugboard'));
  const sameDurability = peers.filter((p) => /pg-boss|graphile/.test(p.contender));
  const pg = ours.find((o) => o.contender.includes('PostgreSQL'));
  const pgCheck: TargetCheck[] =
    pg === undefined || sameDurability.length === 0
      ? []
      : [{ target: `${pg.contender}: more delivered mails/s than the PostgreSQL queues (same durability)`, measured: sameDurability.map((p) => `${(pg.nsPerOp / p.nsPerOp).toFixed(2)}× ${p.contender.split(' (')[0]}`).join(', '), met: sameDurability.every((p) => pg.nsPerOp > p.nsPerOp) }];
  return [...ours.map((o) => {
    const best = peers.reduce((a, b) => (b.nsPerOp > a.nsPerOp ? b : a));
    return {
      target: `${o.contender}: more delivered mails/s than BullMQ, pg-boss and graphile-worker`,
      measured: `${o.nsPerOp.toFixed(0)}/s; fastest queue ${best.contender.split(' (')[0]} ${best.nsPerOp.toFixed(0)}/s (${(o.nsPerOp / best.nsPerOp).toFixed(2)}×)`,
      met: o.nsPerOp > best.nsPerOp,
      ...(o.contender.includes('PostgreSQL')
        ? { why: queueCpuWhy(results, o.contender, best.contender) }
        : {}),
    };
  }), ...pgCheck];
}

/**
 * Why the PostgreSQL path trails a faster queue: the CPU both spend per message, measured in the
 * same rounds, and the floor that leaves (the path's own work, as the SQLite contender does it,
 * plus PostgreSQL's share alone).
 */
function queueCpuWhy(results: readonly Measurement[], ours: string, best: string): string {
  const cpu = (contender: string): number => results.find((r) => r.scenario === 'durable-mail-cpu-per-message' && r.contender === contender)?.nsPerOp ?? Number.NaN;
  const us = (ns: number): string => `${(ns / 1000).toFixed(0)} µs`;
  const [ownP, srvP, ownB, srvB, path] = [cpu(`${ours}: this process`), cpu(`${ours}: its server`), cpu(`${best}: this process`), cpu(`${best}: its server`), cpu('Plugboard outbox (SQLite file): this process')];
  const queue = best.split(' (')[0] ?? best;
  return (
    `each message costs ${us(ownP)} of this process's CPU and ${us(srvP)} of PostgreSQL's (a durable commit per event, the NOTIFY that wakes the workers, ` +
    `the claim and the outcome), against ${us(ownB)} and ${us(srvB)} for ${queue}, whose Redis keeps nothing on disk; on this 2-core machine the host, ` +
    `the SMTP sink and the server share the cores, so the rate follows that sum. Even with no client cost at all, the path's own work (${us(path)}, the SQLite ` +
    `contender's) plus PostgreSQL's share (${us(srvP)}) is ${us(path + srvP)} against ${queue}'s ${us(ownB + srvB)}. Against the PostgreSQL queues with the same durability (pg-boss, graphile-worker) this path is ahead`
  );
}

/** Issue 20: tracing costs nothing when off; with an SDK the overheads are recorded (no number set). */
export function tracingTargets(results: readonly Measurement[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const scenario of ['notify-sync-100', 'collect-sync-10']) {
    const s = `tracing-off-${scenario}`;
    const ours = get(results, s, 'plugboard (this build, no SDK)');
    const base = results.find((r) => r.scenario === s && r.contender === 'baseline build');
    checks.push(
      base === undefined
        ? { target: `${scenario} with no SDK: within 3% of the baseline build`, measured: `${ours.toFixed(0)} ns (no baseline: set PLUGBOARD_BASELINE_CORE)`, met: false, why: 'not compared in this run' }
        : { target: `${scenario} with no SDK: within 3% of the baseline build`, measured: `${((ours / base.nsPerOp - 1) * 100).toFixed(1)}% (${ours.toFixed(0)} vs ${base.nsPerOp.toFixed(0)} ns)`, met: ours <= base.nsPerOp * 1.03 },
    );
  }
  for (const scenario of ['traced-hook-call-3-listeners', 'traced-outbox-delivery']) {
    const off = get(results, scenario, 'no SDK');
    const on = get(results, scenario, 'SDK, spans dropped');
    checks.push({ target: `${scenario}: overhead with the SDK recorded (no number set by the issue)`, measured: `${(on - off).toFixed(0)} ns (${on.toFixed(0)} vs ${off.toFixed(0)} ns)`, met: on > 0 && off > 0 });
  }
  return checks;
}

/** Issue 19: the SQLite hot paths after the move to Kysely at least as fast as before (5 % noise allowed on this shared machine). */
export function outboxStoreTargets(results: readonly Measurement[]): TargetCheck[] {
  return [...sqliteBeforeAfterTargets(results), ...scalingTargets(results)];
}

/** Issue 19: PostgreSQL outbox with 1, 2 and 4 worker processes, and where this machine saturates (no number set). */
function scalingTargets(results: readonly Measurement[]): TargetCheck[] {
  const rows = results.filter((r) => r.scenario === 'outbox-postgres-workers-per-second');
  if (rows.length === 0) return [];
  const best = rows.reduce((a, b) => (b.nsPerOp > a.nsPerOp ? b : a));
  return [{
    target: 'PostgreSQL outbox with 1, 2 and 4 worker processes: msgs/s recorded, and where this machine saturates',
    measured: `${rows.map((r) => `${r.contender.split(' ')[0]} → ${r.nsPerOp.toFixed(0)}`).join(', ')} msgs/s; saturated at ${best.contender} (${os.cpus().length} CPUs)`,
    met: true,
    why: 'recorded, no number set: past the saturation point the workers, the producer and PostgreSQL share the same cores, and each added process adds its own claims and wake-ups',
  }];
}

function sqliteBeforeAfterTargets(results: readonly Measurement[]): TargetCheck[] {
  return (['outbox-sqlite-enqueue', 'outbox-sqlite-enqueue-deliver'] as const).map((scenario) => {
    const before = results.find((r) => r.scenario === scenario && r.contender.startsWith('before'))?.nsPerOp ?? Number.NaN;
    const after = results.find((r) => r.scenario === scenario && r.contender.startsWith('after'))?.nsPerOp ?? Number.NaN;
    return {
      target: `${scenario}: after ≤ 1.05× before (ns per message)`,
      measured: `${(after / before).toFixed(2)}× (${after.toFixed(0)} vs ${before.toFixed(0)} ns)`,
      met: after <= before * 1.05,
    };
  });
}
