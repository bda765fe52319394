/**
 * Sandboxed extensions (issue 21): real worker threads running real modules that loop forever,
 * exhaust their heap, exit the process or throw at import; the host's event loop keeps turning,
 * other extensions keep answering, and the sandbox is restarted or gives up.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from 'inversify';
import { collectAsync, defineHooks, ExtensionManager, HookBus, loadSandboxedExtension, notify, notifyAsync, type SandboxedExtension, type SandboxOptions } from '../src';

const FIXTURES = join(__dirname, 'fixtures', 'sandbox');
const hooks = defineHooks({
  AccountCreated: notifyAsync<[account: { name?: string; mode?: string; fn?: unknown }]>({ params: ['account'] }),
  Menu: collectAsync<[target: string], { name: string }>({ params: ['target'] }),
  Tick: notify<[]>(),
});

const opened: SandboxedExtension[] = [];
async function load(file: string, options: Partial<SandboxOptions> = {}): Promise<SandboxedExtension> {
  const ext = await loadSandboxedExtension(join(FIXTURES, file), { catalogue: hooks, cpuTimeoutMs: 300, ...options });
  opened.push(ext);
  return ext;
}

async function hostWith(ext: SandboxedExtension) {
  const bus = new HookBus(hooks, { onError: () => undefined });
  const manager = new ExtensionManager({ bus, container: new Container() });
  // An in-process extension next to the sandboxed one: it must never be affected.
  const seen: string[] = [];
  bus.on('AccountCreated', (account) => void seen.push(account.name ?? account.mode ?? '?'), { extension: 'neighbour' });
  bus.on('Menu', () => [{ name: 'neighbour-entry' }], { extension: 'neighbour' });
  await manager.install(ext.extension);
  return { bus, manager, seen };
}

/** Counts event-loop turns of the host while `work` runs: a blocked host would count none. */
async function hostTicksDuring<T>(work: Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    return { value: await work, ticks };
  } finally {
    clearInterval(timer);
  }
}

beforeAll(() => {
  if (!existsSync(join(__dirname, '..', 'dist', 'index.js'))) throw new Error('core/dist is missing: run `npm run build` first (the sandboxed fixtures require the built @plugboard/core).');
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe('a sandboxed extension that behaves', () => {
  it('is installed like any extension, answers hooks from its worker and reaches the host only through the services it is given', async () => {
    const records: unknown[][] = [];
    const ext = await load('well-behaved.js', { services: { log: () => 'at-enable', record: (...args: unknown[]) => void records.push(args) } });
    const { bus, manager } = await hostWith(ext);
    expect(manager.find('well-behaved')).toMatchObject({ state: 'enabled', version: '1.2.0', description: 'answers menus in a worker', hooks: ['AccountCreated', 'Menu'] });
    expect(await bus.call('Menu', 'top')).toEqual([{ name: 'neighbour-entry' }, { name: 'top-entry' }]);
    await bus.call('AccountCreated', { name: 'ann' });
    expect(records).toEqual([['ann', true]]);
    const { report } = await bus.invoke('Menu', ['side']);
    expect(report.listeners.map((l) => [l.extension, l.status, l.value])).toEqual([
      ['neighbour', 'ok', [{ name: 'neighbour-entry' }]],
      ['well-behaved', 'ok', [{ name: 'side-entry' }]],
    ]);
  });
});

describe('a sandboxed extension that misbehaves', () => {
  it('an infinite loop: the call fails with PB_SANDBOX_CPU_LIMIT, the host keeps turning, the neighbour runs, the next call gets a new worker', async () => {
    const restarted: string[] = [];
    const ext = await load('faulty.js', { onRestart: (name, e) => restarted.push(`${name}:${e.code}`) });
    const { bus, seen } = await hostWith(ext);
    const { value, ticks } = await hostTicksDuring(bus.invoke('AccountCreated', [{ mode: 'loop' }]));
    expect(ticks).toBeGreaterThan(5);
    expect(value.report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_CPU_LIMIT', hook: 'AccountCreated' });
    expect(seen).toEqual(['loop']);
    expect(restarted).toEqual(['faulty:PB_SANDBOX_CPU_LIMIT']);
    expect(await bus.call('Menu', 'after')).toEqual([{ name: 'neighbour-entry' }, { name: 'after' }]);
    expect(ext.restarts).toBe(1);
  });

  it('a memory bomb: the worker hits its heap limit (PB_SANDBOX_MEMORY_LIMIT) and is restarted', async () => {
    const ext = await load('faulty.js', { heapMb: 16, cpuTimeoutMs: 5000 });
    const { bus } = await hostWith(ext);
    const { report } = await bus.invoke('AccountCreated', [{ mode: 'bomb' }]);
    expect(report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_MEMORY_LIMIT' });
    expect(await bus.call('Menu', 'again')).toEqual([{ name: 'neighbour-entry' }, { name: 'again' }]);
    expect(ext.restarts).toBe(1);
  });

  it('process.exit() ends only the worker (PB_SANDBOX_EXITED), not the host', async () => {
    const ext = await load('faulty.js');
    const { bus } = await hostWith(ext);
    const { report } = await bus.invoke('AccountCreated', [{ mode: 'exit' }]);
    expect(report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_EXITED' });
    expect(await bus.call('Menu', 'alive')).toEqual([{ name: 'neighbour-entry' }, { name: 'alive' }]);
  });

  it('a listener that throws is an ordinary listener error: the worker is not restarted', async () => {
    const ext = await load('faulty.js');
    const { bus } = await hostWith(ext);
    const { report } = await bus.invoke('AccountCreated', [{ mode: 'throw' }]);
    const line = report.listeners.find((l) => l.extension === 'faulty');
    expect(line).toMatchObject({ status: 'error', error: { code: 'PB_LISTENER_FAILED' } });
    expect((line?.error?.cause as Error).message).toBe('listener broke');
    expect(ext.restarts).toBe(0);
  });

  it('only structured-cloneable values cross: a function as argument or result is PB_SANDBOX_NOT_CLONEABLE', async () => {
    const ext = await load('faulty.js');
    const { bus } = await hostWith(ext);
    const arg = await bus.invoke('AccountCreated', [{ mode: 'none', fn: () => 1 }]);
    expect(arg.report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_NOT_CLONEABLE', hook: 'AccountCreated' });
    const result = await bus.invoke('Menu', ['function'], { policy: 'isolate' });
    expect(result.report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_NOT_CLONEABLE' });
    expect(result.result).toEqual([{ name: 'neighbour-entry' }]);
  });

  it('a service the host does not expose is refused with PB_SANDBOX_NO_SERVICE naming the exposed ones', async () => {
    const ext = await load('faulty.js', { services: { log: () => undefined } });
    const { bus } = await hostWith(ext);
    const { report } = await bus.invoke('AccountCreated', [{ mode: 'service' }]);
    const cause = report.listeners.find((l) => l.extension === 'faulty')?.error?.cause as Error & { code: string };
    expect(cause.code).toBe('PB_SANDBOX_NO_SERVICE');
    expect(cause.message).toContain('no service "not-exposed"');
    expect(cause.message).toContain('exposed: log');
  });

  it('gives up after its restart budget: onGaveUp is told once and later calls fail fast with PB_SANDBOX_GAVE_UP', async () => {
    const gaveUp: string[] = [];
    const ext = await load('faulty.js', { cpuTimeoutMs: 100, restarts: { max: 1, windowMs: 60_000 }, onGaveUp: (name, e) => gaveUp.push(`${name}:${e.code}`) });
    const { bus } = await hostWith(ext);
    await bus.invoke('AccountCreated', [{ mode: 'exit' }]);
    await bus.invoke('AccountCreated', [{ mode: 'exit' }]);
    expect(gaveUp).toEqual(['faulty:PB_SANDBOX_GAVE_UP']);
    const { report } = await bus.invoke('Menu', ['late'], { policy: 'isolate' });
    expect(report.listeners.find((l) => l.extension === 'faulty')?.error?.cause).toMatchObject({ code: 'PB_SANDBOX_GAVE_UP' });
    expect(ext.gaveUp?.message).toContain('gave up');
  });

  it('enabled again after giving up (an administrator decided), it gets a fresh worker and a fresh budget', async () => {
    const ext = await load('faulty.js', { restarts: { max: 0, windowMs: 60_000 } });
    const { bus, manager } = await hostWith(ext);
    await bus.invoke('AccountCreated', [{ mode: 'exit' }]);
    expect(ext.gaveUp?.code).toBe('PB_SANDBOX_GAVE_UP');
    await manager.disable('faulty');
    await manager.enable('faulty');
    expect(ext.gaveUp).toBeUndefined();
    expect(await bus.call('Menu', 'back')).toEqual([{ name: 'neighbour-entry' }, { name: 'back' }]);
  });
});

describe('loading refuses what cannot work in a sandbox', () => {
  it('a module that throws at import: PB_SANDBOX_LOAD_FAILED naming the file and the cause', async () => {
    await expect(load('throws-at-import.js')).rejects.toMatchObject({ code: 'PB_SANDBOX_LOAD_FAILED', message: expect.stringContaining('throws-at-import.js') });
    await expect(load('throws-at-import.js')).rejects.toMatchObject({ message: expect.stringContaining('boom at import') });
  });

  it('a listener on a synchronous hook: PB_SANDBOX_SYNC_HOOK', async () => {
    await expect(load('sync-hook.js')).rejects.toMatchObject({ code: 'PB_SANDBOX_SYNC_HOOK', extension: 'ticker', hook: 'Tick' });
  });

  it('a constructor that asks for the host container: PB_SANDBOX_LOAD_FAILED pointing to services', async () => {
    await expect(load('injects.js')).rejects.toMatchObject({ code: 'PB_SANDBOX_LOAD_FAILED', message: expect.stringContaining('plugboardSandbox.call') });
  });
});
