/**
 * Heap bytes each hook registration retains, at 10 000 extensions × 10 hooks, for Plugboard and
 * its peers. Each contender is measured in a fresh process: measured inside the long benchmark
 * run, garbage and code left by earlier scenarios moved the figure by ±40 bytes (the plain loop
 * came out at −10 bytes per listener).
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { SyncHook } from 'tapable';
import EventEmitter3 from 'eventemitter3';
import { Hookable } from 'hookable';
import { createHooks as createWpHooks } from '@wordpress/hooks';
import { HookBus, defineHooks, notify } from '@plugboard/core';
import { consume, heapAfterGc, type Measurement } from './harness';

type Fn = (...args: unknown[]) => unknown;
type Listener = (x: number) => void;

const EXT = 10_000;
const HOOKS = ['H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9'] as const;
const N = EXT * HOOKS.length;
const hooks = defineHooks(Object.fromEntries(HOOKS.map((h) => [h, notify<[x: number]>()])) as Record<(typeof HOOKS)[number], ReturnType<typeof notify<[x: number]>>>);
const ext = (i: number): string => `e${Math.floor(i / HOOKS.length)}`;
const hookOf = (i: number): (typeof HOOKS)[number] => HOOKS[i % HOOKS.length];

interface EmitteryLike {
  on(name: string, fn: Fn): () => void;
}
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<{ default: new () => EmitteryLike }>;

const CONTENDERS: Record<string, { note?: string; register(fns: Listener[]): unknown | Promise<unknown> }> = {
  loop: { register: (fns) => HOOKS.map((_, h) => fns.filter((_f, i) => i % HOOKS.length === h)) },
  plugboard: {
    register: (fns) => {
      const bus = new HookBus(hooks);
      fns.forEach((f, i) => bus.on(hookOf(i), f, { extension: ext(i) }));
      return bus;
    },
  },
  tapable: {
    register: (fns) => {
      const taps = HOOKS.map(() => new SyncHook<[number]>(['x']));
      fns.forEach((f, i) => taps[i % HOOKS.length].tap(ext(i), f));
      return taps;
    },
  },
  EventEmitter: {
    register: (fns) => {
      const ee = new EventEmitter();
      ee.setMaxListeners(0);
      fns.forEach((f, i) => ee.on(hookOf(i), f));
      return ee;
    },
  },
  eventemitter3: {
    register: (fns) => {
      const ee = new EventEmitter3();
      fns.forEach((f, i) => ee.on(hookOf(i), f));
      return ee;
    },
  },
  '@wordpress/hooks': {
    register: (fns) => {
      const wp = createWpHooks();
      fns.forEach((f, i) => wp.addAction(hookOf(i), `bench/${ext(i)}`, f));
      return wp;
    },
  },
  hookable: {
    note: 'undo functions dropped',
    register: (fns) => {
      const hk = new Hookable();
      fns.forEach((f, i) => hk.hook(hookOf(i), f));
      return hk;
    },
  },
  emittery: {
    note: 'undo functions dropped',
    register: async (fns) => {
      const { default: Emittery } = await importEsm('emittery');
      const em = new Emittery();
      fns.forEach((f, i) => em.on(hookOf(i), f as Fn));
      return em;
    },
  },
};

/** Bytes per listener of one registration round. */
async function round(contender: string): Promise<number> {
  let sink = 0;
  const fns = Array.from({ length: N }, () => (x: number) => void (sink += x));
  const before = heapAfterGc();
  const keep = await CONTENDERS[contender].register(fns);
  const after = heapAfterGc();
  consume(keep);
  consume(sink);
  return (after - before) / N;
}

/**
 * In the child: a first round warms the code paths (lazy compilation, module state, caches)
 * and is dropped; the second is the figure.
 */
async function probe(contender: string): Promise<void> {
  await round(contender);
  process.stdout.write(JSON.stringify({ bytes: await round(contender) }));
}

/** Measures every contender, each in its own `node --expose-gc` process. */
export function memory(): Measurement[] {
  return Object.entries(CONTENDERS).map(([contender, c]) => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--no-flush-bytecode', '-r', 'ts-node/register/transpile-only', __filename, contender], { encoding: 'utf8' });
    const { bytes } = JSON.parse(out) as { bytes: number };
    return { scenario: 'memory-per-listener', contender, nsPerOp: bytes, note: `bytes per listener, not ns${c.note ? ` (${c.note})` : ''}` };
  });
}

if (require.main === module && process.argv[2] !== undefined) {
  probe(process.argv[2]).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
