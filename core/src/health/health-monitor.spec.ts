import { z } from 'zod';
import { defineHooks } from '../catalogue';
import { HookBus } from '../hook-bus';
import { collect, collectAsync, notifyAsync } from '../hook-spec';
import { CircuitBreaker } from './circuit-breaker';
import { DurationWindow } from './duration-window';
import { HealthMonitor } from './health-monitor';

const hooks = defineHooks({
  Checked: collect<[n: number], number>({ result: z.number().positive(), policy: 'isolate' }),
  Created: notifyAsync<[id: number]>({ timeoutMs: 20, policy: 'isolate' }),
  Menu: collectAsync<[], string>({ policy: 'isolate' }),
});

function setup(options: ConstructorParameters<typeof HealthMonitor>[0] = {}) {
  const bus = new HookBus(hooks, { onError: () => undefined });
  const trips: [string, string][] = [];
  const health = new HealthMonitor({ onTrip: (name, reason) => trips.push([name, reason]), ...options });
  health.attach(bus);
  return { bus, health, trips };
}

describe('HealthMonitor', () => {
  it('counts calls, errors, timeouts and invalid results per extension, with the last error', async () => {
    const { bus, health } = setup({ breaker: false });
    bus.on('Checked', (n) => n, { extension: 'good' });
    bus.on('Checked', (n) => -n, { extension: 'liar' });
    bus.on('Created', () => new Promise<void>(() => undefined), { extension: 'slow' });
    bus.on('Menu', () => Promise.reject(new Error('menu down')), { extension: 'broken' });
    bus.call('Checked', 1);
    bus.call('Checked', 2);
    await bus.call('Created', 1);
    await bus.call('Menu');
    expect(health.get('good')).toMatchObject({ calls: 2, errors: 0, timeouts: 0, invalidResults: 0 });
    expect(health.get('liar')).toMatchObject({ calls: 2, invalidResults: 2, errors: 0, lastError: { hook: 'Checked', code: 'PB_INVALID_RESULT' } });
    expect(health.get('slow')).toMatchObject({ calls: 1, timeouts: 1, lastError: { hook: 'Created', code: 'PB_LISTENER_TIMEOUT' } });
    expect(health.get('broken')?.lastError?.message).toContain('menu down');
    expect(health.get('broken')?.lastError?.at).toBeInstanceOf(Date);
    expect(health.get('slow')?.p99Ms).toBeGreaterThanOrEqual(15);
    expect(health.all().map((h) => h.extension).sort()).toEqual(['broken', 'good', 'liar', 'slow']);
  });

  it('does not count the calls of a disabled extension', () => {
    const { bus, health } = setup();
    bus.on('Checked', (n) => n, { extension: 'off' });
    bus.disableExtension('off');
    bus.call('Checked', 1);
    expect(health.get('off')).toBeUndefined();
  });

  it('opens the breaker once after N consecutive failures, naming the extension and the rule', async () => {
    const { bus, trips } = setup({ breaker: { failures: 3, windowMs: 60_000 } });
    bus.on('Menu', () => Promise.reject(new Error('down')), { extension: 'flaky' });
    bus.on('Menu', () => 'fine', { extension: 'steady' });
    for (let i = 0; i < 2; i++) await bus.call('Menu');
    expect(trips).toEqual([]);
    await bus.call('Menu');
    expect(trips).toEqual([['flaky', 'circuit breaker: 3 consecutive failed calls within 60 s']]);
  });

  it('a success in between starts the count again', async () => {
    const { bus, trips } = setup({ breaker: { failures: 2 } });
    let fail = true;
    bus.on('Menu', () => (fail ? Promise.reject(new Error('x')) : 'ok'), { extension: 'flaky' });
    await bus.call('Menu');
    fail = false;
    await bus.call('Menu');
    fail = true;
    await bus.call('Menu');
    expect(trips).toEqual([]);
  });

  it('failures spread over more than the window do not open the breaker', async () => {
    let now = 0;
    const { bus, trips } = setup({ breaker: { failures: 2, windowMs: 1000 }, now: () => now });
    bus.on('Menu', () => Promise.reject(new Error('x')), { extension: 'rare' });
    await bus.call('Menu');
    now = 5000;
    await bus.call('Menu');
    expect(trips).toEqual([]);
    now = 5500;
    await bus.call('Menu');
    expect(trips.map(([n]) => n)).toEqual(['rare']);
  });

  it('a host reaction that throws does not break the call', async () => {
    const bus = new HookBus(hooks, { onError: () => undefined });
    new HealthMonitor({ breaker: { failures: 1 }, onTrip: () => { throw new Error('store down'); } }).attach(bus);
    bus.on('Menu', () => 'ok', { extension: 'fine' });
    bus.on('Menu', () => Promise.reject(new Error('x')), { extension: 'bad' });
    await expect(bus.call('Menu')).resolves.toEqual(['ok']);
  });

  it('refuses bad breaker options when made', () => {
    expect(() => new HealthMonitor({ breaker: { failures: 0 } })).toThrow(/breaker.failures must be a positive integer; got 0/);
    expect(() => new CircuitBreaker({ windowMs: -1 })).toThrow(/breaker.windowMs/);
  });
});

describe('DurationWindow', () => {
  it('keeps the mean over all samples and the p99 over the last ones', () => {
    const w = new DurationWindow(100);
    for (let i = 1; i <= 100; i++) w.add(i);
    expect(w.quantile(0.99)).toBe(99);
    expect(w.mean).toBe(50.5);
    for (let i = 0; i < 100; i++) w.add(1);
    expect(w.quantile(0.99)).toBe(1);
    expect(w.mean).toBeCloseTo(25.75);
  });
});
