/**
 * Hook dispatch benchmark: Plugboard against a hand-written loop, tapable, EventEmitter,
 * eventemitter3, emittery, hookable and @wordpress/hooks, measured side by side in one run.
 */
import { EventEmitter } from 'node:events';
import { SyncHook, AsyncParallelHook } from 'tapable';
import EventEmitter3 from 'eventemitter3';
import { Hookable } from 'hookable';
import { createHooks as createWpHooks } from '@wordpress/hooks';
import { HookBus, collect, collectAsync, defineHooks, notify } from '@plugboard/core';
import { consume, timeAsync, timeSync, type Measurement } from './harness';
import { memory } from './hook-memory';

type Fn = (...args: unknown[]) => unknown;

// emittery is ESM-only; a real dynamic import keeps this file CommonJS.
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<{ default: new () => EmitteryLike }>;
interface EmitteryLike {
  on(name: string, fn: Fn): () => void;
  off(name: string, fn: Fn): void;
  emit(name: string, data?: unknown): Promise<void>;
}

let sink = 0;

const hooks = defineHooks({
  N: notify<[x: number]>(),
  C: collect<[x: number], number>(),
  CA: collectAsync<[x: number], number>(),
  H0: notify<[x: number]>(),
  H1: notify<[x: number]>(),
  H2: notify<[x: number]>(),
  H3: notify<[x: number]>(),
  H4: notify<[x: number]>(),
  H5: notify<[x: number]>(),
  H6: notify<[x: number]>(),
  H7: notify<[x: number]>(),
  H8: notify<[x: number]>(),
  H9: notify<[x: number]>(),
  H10: notify<[x: number]>(),
});
const CHURN_HOOKS = ['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9', 'H10'] as const;

function notifyListeners(n: number): ((x: number) => void)[] {
  return Array.from({ length: n }, () => (x: number) => {
    sink += x;
  });
}

async function notifySync(n: number, Emittery: new () => EmitteryLike): Promise<Measurement[]> {
  const scenario = `notify-sync-${n}`;
  const fns = notifyListeners(n);
  const out: Measurement[] = [];
  const batch = n > 10 ? 20_000 : 200_000;

  out.push({ scenario, contender: 'loop', nsPerOp: timeSync(() => { for (let i = 0; i < fns.length; i++) fns[i](1); }, { batch }) });

  const tap = new SyncHook<[number]>(['x']);
  fns.forEach((f, i) => tap.tap(`t${i}`, f));
  out.push({ scenario, contender: 'tapable', nsPerOp: timeSync(() => tap.call(1), { batch }) });

  const bus = new HookBus(hooks);
  fns.forEach((f, i) => bus.on('N', f, { extension: `e${i}` }));
  const handle = bus.hook('N');
  out.push({ scenario, contender: 'plugboard', nsPerOp: timeSync(() => handle.call(1), { batch }), note: 'bus.hook(name).call — per-hook handle, like a tapable hook object' });
  out.push({ scenario, contender: 'plugboard bus.call', nsPerOp: timeSync(() => bus.call('N', 1), { batch }), note: 'by name: one shared call site for every hook' });

  const ee = new EventEmitter();
  ee.setMaxListeners(0);
  fns.forEach((f) => ee.on('e', f));
  out.push({ scenario, contender: 'EventEmitter', nsPerOp: timeSync(() => ee.emit('e', 1), { batch }) });

  const ee3 = new EventEmitter3();
  fns.forEach((f) => ee3.on('e', f));
  out.push({ scenario, contender: 'eventemitter3', nsPerOp: timeSync(() => ee3.emit('e', 1), { batch }) });

  const wp = createWpHooks();
  fns.forEach((f, i) => wp.addAction('e', `bench/e${i}`, f));
  out.push({ scenario, contender: '@wordpress/hooks', nsPerOp: timeSync(() => wp.doAction('e', 1), { batch }) });

  const hk = new Hookable();
  fns.forEach((f) => hk.hook('e', f));
  out.push({ scenario, contender: 'hookable', nsPerOp: await timeAsync(() => hk.callHook('e', 1), { batch: batch / 10 }), note: 'async only (callHook returns a promise)' });

  const em = new Emittery();
  fns.forEach((f) => em.on('e', f as Fn));
  out.push({ scenario, contender: 'emittery', nsPerOp: await timeAsync(() => em.emit('e', 1), { batch: batch / 10 }), note: 'async only (emit returns a promise)' });
  return out;
}

async function collectSync10(Emittery: new () => EmitteryLike): Promise<Measurement[]> {
  const scenario = 'collect-sync-10';
  const values = Array.from({ length: 10 }, (_, i) => i);
  const fns = values.map((v) => (x: number) => v + x);
  const pushers = values.map((v) => (x: number, acc: number[]) => void acc.push(v + x));
  const out: Measurement[] = [];

  out.push({
    scenario,
    contender: 'loop',
    nsPerOp: timeSync(() => {
      const r: number[] = [];
      for (let i = 0; i < fns.length; i++) {
        const v = fns[i](1);
        if (v !== undefined) r.push(v);
      }
      return r;
    }),
  });

  const tap = new SyncHook<[number, number[]]>(['x', 'acc']);
  pushers.forEach((f, i) => tap.tap(`t${i}`, f));
  out.push({ scenario, contender: 'tapable', nsPerOp: timeSync(() => { const acc: number[] = []; tap.call(1, acc); return acc; }), note: 'taps push into an array' });

  const bus = new HookBus(hooks);
  fns.forEach((f, i) => bus.on('C', f, { extension: `e${i}` }));
  const handle = bus.hook('C');
  out.push({ scenario, contender: 'plugboard', nsPerOp: timeSync(() => handle.call(1)), note: 'bus.hook(name).call' });
  out.push({ scenario, contender: 'plugboard bus.call', nsPerOp: timeSync(() => bus.call('C', 1)), note: 'by name' });

  const ee = new EventEmitter();
  pushers.forEach((f) => ee.on('e', f));
  out.push({ scenario, contender: 'EventEmitter', nsPerOp: timeSync(() => { const acc: number[] = []; ee.emit('e', 1, acc); return acc; }), note: 'listeners push into an array' });

  const ee3 = new EventEmitter3();
  pushers.forEach((f) => ee3.on('e', f));
  out.push({ scenario, contender: 'eventemitter3', nsPerOp: timeSync(() => { const acc: number[] = []; ee3.emit('e', 1, acc); return acc; }), note: 'listeners push into an array' });

  const wp = createWpHooks();
  values.forEach((v, i) => wp.addFilter('e', `bench/e${i}`, (acc: number[], x: number) => { acc.push(v + x); return acc; }));
  out.push({ scenario, contender: '@wordpress/hooks', nsPerOp: timeSync(() => wp.applyFilters('e', [], 1)), note: 'filters append to the value' });

  const hk = new Hookable();
  pushers.forEach((f) => hk.hook('e', f));
  out.push({ scenario, contender: 'hookable', nsPerOp: await timeAsync(async () => { const acc: number[] = []; await hk.callHook('e', 1, acc); return acc; }), note: 'async only' });

  const em = new Emittery();
  values.forEach((v) => em.on('e', ((d: { acc: number[] }) => void d.acc.push(v)) as Fn));
  out.push({ scenario, contender: 'emittery', nsPerOp: await timeAsync(async () => { const acc: number[] = []; await em.emit('e', { acc }); return acc; }), note: 'async only' });
  return out;
}

async function collectAsync10(Emittery: new () => EmitteryLike): Promise<Measurement[]> {
  const scenario = 'collect-async-10';
  const values = Array.from({ length: 10 }, (_, i) => i);
  const fns = values.map((v) => async (x: number) => v + x);
  const out: Measurement[] = [];

  out.push({
    scenario,
    contender: 'loop',
    nsPerOp: await timeAsync(() => {
      const ps: Promise<number>[] = new Array(fns.length);
      for (let i = 0; i < fns.length; i++) ps[i] = fns[i](1);
      return Promise.all(ps);
    }),
    note: 'hand-written Promise.all',
  });

  const bus = new HookBus(hooks);
  fns.forEach((f, i) => bus.on('CA', f, { extension: `e${i}` }));
  const handle = bus.hook('CA');
  out.push({ scenario, contender: 'plugboard', nsPerOp: await timeAsync(() => handle.call(1)), note: 'bus.hook(name).call' });
  out.push({ scenario, contender: 'plugboard bus.call', nsPerOp: await timeAsync(() => bus.call('CA', 1)), note: 'by name' });

  const tap = new AsyncParallelHook<[number, number[]]>(['x', 'acc']);
  values.forEach((v, i) => tap.tapPromise(`t${i}`, async (x, acc) => void acc.push(v + x)));
  out.push({ scenario, contender: 'tapable', nsPerOp: await timeAsync(async () => { const acc: number[] = []; await tap.promise(1, acc); return acc; }), note: 'AsyncParallelHook, taps push' });

  const ee = new EventEmitter();
  values.forEach((v) => ee.on('e', (x: number, ps: Promise<number>[]) => void ps.push(Promise.resolve(v + x))));
  out.push({ scenario, contender: 'EventEmitter', nsPerOp: await timeAsync(() => { const ps: Promise<number>[] = []; ee.emit('e', 1, ps); return Promise.all(ps); }), note: 'emulated: listeners push promises' });

  const ee3 = new EventEmitter3();
  values.forEach((v) => ee3.on('e', (x: number, ps: Promise<number>[]) => void ps.push(Promise.resolve(v + x))));
  out.push({ scenario, contender: 'eventemitter3', nsPerOp: await timeAsync(() => { const ps: Promise<number>[] = []; ee3.emit('e', 1, ps); return Promise.all(ps); }), note: 'emulated: listeners push promises' });

  const hk = new Hookable();
  values.forEach((v) => hk.hook('e', async (acc: number[]) => void acc.push(v)));
  out.push({ scenario, contender: 'hookable', nsPerOp: await timeAsync(async () => { const acc: number[] = []; await hk.callHookParallel('e', acc); return acc; }), note: 'callHookParallel, hooks push' });

  const em = new Emittery();
  values.forEach((v) => em.on('e', (async (d: { acc: number[] }) => void d.acc.push(v)) as Fn));
  out.push({ scenario, contender: 'emittery', nsPerOp: await timeAsync(async () => { const acc: number[] = []; await em.emit('e', { acc }); return acc; }), note: 'listeners push' });

  const wp = createWpHooks();
  values.forEach((v, i) => wp.addFilter('e', `bench/e${i}`, (acc: Promise<number>[]) => { acc.push(Promise.resolve(v)); return acc; }));
  out.push({ scenario, contender: '@wordpress/hooks', nsPerOp: await timeAsync(() => Promise.all(wp.applyFilters('e', []) as Promise<number>[])), note: 'emulated: filters append promises' });
  return out;
}

/** 50 extensions × 11 hooks; one op = unregister one extension and register it again. */
async function churn(Emittery: new () => EmitteryLike): Promise<Measurement[]> {
  const scenario = 'churn';
  const EXT = 50;
  const fn = (x: number): void => void (sink += x);
  const out: Measurement[] = [];
  const batch = 20_000;
  let k = 0;
  const next = (): number => (k = (k + 1) % EXT);

  const arrays = CHURN_HOOKS.map(() => Array.from({ length: EXT }, (_, e) => ({ ext: e, fn })));
  out.push({
    scenario,
    contender: 'loop',
    nsPerOp: timeSync(() => {
      const e = next();
      for (const arr of arrays) {
        const i = arr.findIndex((l) => l.ext === e);
        arr.splice(i, 1);
      }
      for (const arr of arrays) arr.push({ ext: e, fn });
    }, { batch }),
    note: 'hand-written findIndex + splice',
  });

  const bus = new HookBus(hooks);
  for (let e = 0; e < EXT; e++) for (const h of CHURN_HOOKS) bus.on(h, fn, { extension: `e${e}` });
  out.push({
    scenario,
    contender: 'plugboard',
    nsPerOp: timeSync(() => {
      const name = `e${next()}`;
      bus.removeExtension(name);
      for (const h of CHURN_HOOKS) bus.on(h, fn, { extension: name });
    }, { batch }),
  });

  const taps = CHURN_HOOKS.map(() => new SyncHook<[number]>(['x']));
  for (let e = 0; e < EXT; e++) for (const t of taps) t.tap(`e${e}`, fn);
  out.push({
    scenario,
    contender: 'tapable',
    nsPerOp: timeSync(() => {
      const name = `e${next()}`;
      // tapable has no untap: filter its taps array, then tap again (which resets compilation).
      for (const t of taps) t.taps = t.taps.filter((x) => x.name !== name);
      for (const t of taps) t.tap(name, fn);
    }, { batch }),
    note: 'no untap: taps array filtered by hand',
  });

  const fnsByExt = Array.from({ length: EXT }, () => CHURN_HOOKS.map(() => (x: number) => void (sink += x)));
  const ee = new EventEmitter();
  ee.setMaxListeners(0);
  fnsByExt.forEach((fs) => fs.forEach((f, h) => ee.on(CHURN_HOOKS[h], f)));
  out.push({
    scenario,
    contender: 'EventEmitter',
    nsPerOp: timeSync(() => {
      const fs = fnsByExt[next()];
      fs.forEach((f, h) => ee.removeListener(CHURN_HOOKS[h], f));
      fs.forEach((f, h) => ee.on(CHURN_HOOKS[h], f));
    }, { batch }),
  });

  const ee3 = new EventEmitter3();
  fnsByExt.forEach((fs) => fs.forEach((f, h) => ee3.on(CHURN_HOOKS[h], f)));
  out.push({
    scenario,
    contender: 'eventemitter3',
    nsPerOp: timeSync(() => {
      const fs = fnsByExt[next()];
      fs.forEach((f, h) => ee3.removeListener(CHURN_HOOKS[h], f));
      fs.forEach((f, h) => ee3.on(CHURN_HOOKS[h], f));
    }, { batch }),
  });

  const wp = createWpHooks();
  for (let e = 0; e < EXT; e++) for (const h of CHURN_HOOKS) wp.addAction(h, `bench/e${e}`, fn);
  out.push({
    scenario,
    contender: '@wordpress/hooks',
    nsPerOp: timeSync(() => {
      const ns = `bench/e${next()}`;
      for (const h of CHURN_HOOKS) wp.removeAction(h, ns);
      for (const h of CHURN_HOOKS) wp.addAction(h, ns, fn);
    }, { batch }),
  });

  const hk = new Hookable();
  const unhooks = fnsByExt.map((fs) => fs.map((f, h) => hk.hook(CHURN_HOOKS[h], f)));
  out.push({
    scenario,
    contender: 'hookable',
    nsPerOp: timeSync(() => {
      const e = next();
      unhooks[e].forEach((u) => u());
      unhooks[e] = fnsByExt[e].map((f, h) => hk.hook(CHURN_HOOKS[h], f));
    }, { batch }),
  });

  // emittery retains memory on every on/off pair (about 30 KB per op here), so it gets far fewer iterations.
  const em = new Emittery();
  fnsByExt.forEach((fs) => fs.forEach((f, h) => em.on(CHURN_HOOKS[h], f as Fn)));
  out.push({
    scenario,
    contender: 'emittery',
    nsPerOp: timeSync(() => {
      const fs = fnsByExt[next()];
      fs.forEach((f, h) => em.off(CHURN_HOOKS[h], f as Fn));
      fs.forEach((f, h) => em.on(CHURN_HOOKS[h], f as Fn));
    }, { batch: 300, warmup: 300, samples: 5 }),
    note: 'fewer iterations: its heap grows with every on/off',
  });
  return out;
}

/**
 * First call right after a change versus a steady call, 10 listeners per hook. The change
 * is removing one listener and registering it again. To time single calls without a timer
 * per call, there are many hooks: every hook is changed, then one call to each is timed
 * as a batch; steady calls are timed the same way once every hook is hot.
 */
export function firstCallAfterChange(): Measurement[] {
  const out: Measurement[] = [];
  const HOOKS = 500;
  const ROUNDS = 31;
  const medianOf = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  interface Subject {
    call(h: number): unknown;
    change(h: number): void;
  }
  const measure = (contender: string, s: Subject): void => {
    const steady: number[] = [];
    const first: number[] = [];
    const batch = (): number => {
      const t0 = process.hrtime.bigint();
      for (let h = 0; h < HOOKS; h++) consume(s.call(h));
      return Number(process.hrtime.bigint() - t0) / HOOKS;
    };
    for (let r = 0; r < ROUNDS + 3; r++) {
      for (let k = 0; k < 20; k++) for (let h = 0; h < HOOKS; h++) consume(s.call(h));
      const st = batch();
      for (let h = 0; h < HOOKS; h++) s.change(h);
      const fi = batch();
      if (r >= 3) {
        steady.push(st);
        first.push(fi);
      }
    }
    const steadyNs = medianOf(steady);
    const firstNs = medianOf(first);
    out.push({ scenario: 'steady-call-10', contender, nsPerOp: steadyNs, note: `one call to each of ${HOOKS} hot hooks` });
    out.push({ scenario: 'first-call-after-change-10', contender, nsPerOp: firstNs, note: `${(firstNs / steadyNs).toFixed(1)}× its steady call` });
  };

  const fnsFor = (): ((x: number) => void)[] => notifyListeners(10);

  const arrays = Array.from({ length: HOOKS }, fnsFor);
  measure('loop', {
    call: (h) => {
      const a = arrays[h];
      for (let i = 0; i < a.length; i++) a[i](1);
    },
    change: (h) => {
      const f = arrays[h].pop() as (x: number) => void;
      arrays[h].push(f);
    },
  });

  const taps = Array.from({ length: HOOKS }, () => {
    const t = new SyncHook<[number]>(['x']);
    fnsFor().forEach((f, i) => t.tap(`t${i}`, f));
    return t;
  });
  measure('tapable', {
    call: (h) => taps[h].call(1),
    change: (h) => {
      const t = taps[h];
      const last = t.taps[t.taps.length - 1];
      t.taps = t.taps.slice(0, -1);
      t.tap(last.name, last.fn as (x: number) => void);
    },
  });

  const specs: Record<string, ReturnType<typeof notify<[x: number]>>> = {};
  for (let h = 0; h < HOOKS; h++) specs[`Hook${h}`] = notify<[x: number]>();
  const many = defineHooks(specs);
  const bus = new HookBus(many);
  const names = Object.keys(specs);
  const lastFns: ((x: number) => void)[] = [];
  const undos = names.map((name) => {
    const fs = fnsFor();
    fs.slice(0, 9).forEach((f, i) => bus.on(name, f, { extension: `e${i}` }));
    lastFns.push(fs[9]);
    return bus.on(name, fs[9], { extension: 'e9' });
  });
  measure('plugboard', {
    call: (h) => bus.call(names[h], 1),
    change: (h) => {
      undos[h]();
      undos[h] = bus.on(names[h], lastFns[h], { extension: 'e9' });
    },
  });
  return out;
}

/** Runs every hook scenario and returns the measurements with ratios to the loop. */
export async function runHookBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const { default: Emittery } = await importEsm('emittery');
  const all: Measurement[] = [];
  const steps: [string, () => Promise<Measurement[]> | Measurement[]][] = [
    ['notify-sync-1', () => notifySync(1, Emittery)],
    ['notify-sync-100', () => notifySync(100, Emittery)],
    ['collect-sync-10', () => collectSync10(Emittery)],
    ['collect-async-10', () => collectAsync10(Emittery)],
    ['churn', () => churn(Emittery)],
    ['first-call-after-change', () => firstCallAfterChange()],
    ['memory', () => memory()],
  ];
  for (const [name, step] of steps) {
    log(`running ${name} …`);
    all.push(...(await step()));
  }
  const loops = new Map(all.filter((m) => m.contender === 'loop').map((m) => [m.scenario, m.nsPerOp]));
  for (const m of all) {
    const loop = loops.get(m.scenario);
    if (loop !== undefined && loop > 0) m.ratioToLoop = Number((m.nsPerOp / loop).toFixed(3));
  }
  consume(sink);
  return all;
}
