/**
 * Tracing cost. Off (no SDK): hot sync dispatch must not change, checked against a baseline
 * build of core in the same run when PLUGBOARD_BASELINE_CORE names its dist (e.g. main's).
 * On (the SDK with an exporter that drops everything): the overhead per hook call and per
 * outbox delivery, measured in alternating rounds against the same code with tracing off.
 */
import { join } from 'node:path';
import * as core from '@plugboard/core';
import { Outbox } from '@plugboard/outbox';
import { startTracing, type Tracing } from '../host-example/src/telemetry/host-tracing';
import * as otel from '@opentelemetry/api';
import { timeSync, type Measurement } from './harness';
import { median, tempDir } from './io-harness';

type Core = Pick<typeof core, 'HookBus' | 'defineHooks' | 'notify' | 'collect'>;
const ROUNDS = 5;

/** Drops every span: what is measured is the SDK's own work (span objects, ids, context), not an exporter's. */
const dropAll = { export: (_spans: unknown[], done: (r: { code: number }) => void) => done({ code: 0 }), shutdown: async () => undefined };

function dispatchers(c: Core): { name: string; run: () => unknown }[] {
  const hooks = c.defineHooks({ N: c.notify<[x: number]>(), C: c.collect<[x: number], number>() });
  const bus = new c.HookBus(hooks);
  let sink = 0;
  for (let i = 0; i < 100; i++) bus.on('N', (x: number) => void (sink += x), { extension: `n${i}` });
  for (let i = 0; i < 10; i++) bus.on('C', (x: number) => i + x + (sink & 0), { extension: `c${i}` });
  const n = bus.hook('N');
  const col = bus.hook('C');
  return [
    { name: 'notify-sync-100', run: () => n.call(1) },
    { name: 'collect-sync-10', run: () => col.call(1) },
  ];
}

/** Tracing off: this build against the baseline build, alternating, median of rounds. */
function offFigures(log: (l: string) => void): Measurement[] {
  const baselineDir = process.env.PLUGBOARD_BASELINE_CORE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a build chosen at run time
  const baseline = baselineDir ? (require(baselineDir) as Core) : undefined;
  const ours = dispatchers(core);
  const base = baseline ? dispatchers(baseline) : undefined;
  const out: Measurement[] = [];
  for (let k = 0; k < ours.length; k++) {
    const o: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternating which goes first, so neither always runs on a warmer (or busier) machine.
      if (base && r % 2 === 0) b.push(timeSync(base[k].run, { batch: 20_000, samples: 5 }));
      o.push(timeSync(ours[k].run, { batch: 20_000, samples: 5 }));
      if (base && r % 2 === 1) b.push(timeSync(base[k].run, { batch: 20_000, samples: 5 }));
    }
    const scenario = `tracing-off-${ours[k].name}`;
    out.push({ scenario, contender: 'plugboard (this build, no SDK)', nsPerOp: median(o) });
    if (base) out.push({ scenario, contender: 'baseline build', nsPerOp: median(b), note: baselineDir });
    log(`${scenario}: ${median(o).toFixed(0)} ns${base ? ` vs baseline ${median(b).toFixed(0)} ns` : ''}`);
  }
  return out;
}

/** One traced hook call against the same call untraced (the SDK registered, then not). */
async function hookCallFigures(log: (l: string) => void): Promise<Measurement[]> {
  const hooks = core.defineHooks({ H: core.notify<[x: number]>() });
  const bus = new core.HookBus(hooks);
  for (let i = 0; i < 3; i++) bus.on('H', () => undefined, { extension: `e${i}` });
  const h = bus.hook('H');
  const off: number[] = [];
  const on: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    off.push(timeSync(() => h.call(1), { batch: 20_000, samples: 5 }));
    const tracing = startTracing({ exporter: dropAll, batch: true, env: {} }) as Tracing;
    on.push(timeSync(() => h.call(1), { batch: 5_000, samples: 5 }));
    await tracing.shutdown();
  }
  const scenario = 'traced-hook-call-3-listeners';
  log(`${scenario}: ${median(on).toFixed(0)} ns traced vs ${median(off).toFixed(0)} ns off`);
  return [
    { scenario, contender: 'no SDK', nsPerOp: median(off) },
    { scenario, contender: 'SDK, spans dropped', nsPerOp: median(on), note: `${(median(on) - median(off)).toFixed(0)} ns per call for 4 spans (call + 3 listeners)` },
  ];
}

async function deliveryRound(outbox: Outbox, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  // The enqueues happen in a traced call, as in the host; deliveries continue its trace.
  const span = otel.trace.getTracer('bench').startSpan('call');
  otel.context.with(otel.trace.setSpan(otel.context.active(), span), () => {
    for (let i = 0; i < n; i++) outbox.enqueue('bench', { i });
  });
  span.end();
  await outbox.drain({ timeoutMs: 60_000 });
  return Number(process.hrtime.bigint() - t0) / n;
}

/** One outbox delivery (enqueue, claim, deliver, record) with and without the SDK. */
async function deliveryFigures(log: (l: string) => void): Promise<Measurement[]> {
  const tmp = tempDir('tracing');
  const outbox = new Outbox({ database: join(tmp.dir, 'outbox.db'), pollIntervalMs: 20, checkpoints: 'sqlite' });
  outbox.register('bench', async () => undefined);
  outbox.start();
  const off: number[] = [];
  const on: number[] = [];
  try {
    await deliveryRound(outbox, 500);
    for (let r = 0; r < ROUNDS; r++) {
      off.push(await deliveryRound(outbox, 2000));
      const tracing = startTracing({ exporter: dropAll, batch: true, env: {} }) as Tracing;
      on.push(await deliveryRound(outbox, 2000));
      await tracing.shutdown();
    }
  } finally {
    await outbox.close();
    tmp.remove();
  }
  const scenario = 'traced-outbox-delivery';
  log(`${scenario}: ${median(on).toFixed(0)} ns traced vs ${median(off).toFixed(0)} ns off`);
  return [
    { scenario, contender: 'no SDK', nsPerOp: median(off) },
    { scenario, contender: 'SDK, spans dropped', nsPerOp: median(on), note: `${((median(on) - median(off)) / 1000).toFixed(1)} µs per delivery (trace context in meta, delivery span)` },
  ];
}

export async function runTracingBenchmarks(log: (l: string) => void): Promise<Measurement[]> {
  return [...offFigures(log), ...(await hookCallFigures(log)), ...(await deliveryFigures(log))];
}
