import { PgOutbox } from '../src';
import { recordingLogger, waitForAsync } from './support/helpers';
import { pgDatabase } from './support/pg';

/** What PostgreSQL reports about the connections of one application_name. */
async function activity(admin: Awaited<ReturnType<typeof pgDatabase>>['admin'], app: string): Promise<{ pid: number; state: string; state_change: Date; query: string }[]> {
  const { rows } = await admin.query<{ pid: number; state: string; state_change: Date; query: string }>(
    'SELECT pid, state, state_change, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 ORDER BY pid',
    [app],
  );
  return rows;
}

describe('PgOutbox wake-ups', () => {
  let pg: Awaited<ReturnType<typeof pgDatabase>>;
  const open: PgOutbox[] = [];
  beforeEach(async () => (pg = await pgDatabase()));
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    await pg.drop();
  });

  async function openOn(app: string, extra: Partial<Parameters<typeof PgOutbox.open>[0]> = {}): Promise<PgOutbox> {
    const o = await PgOutbox.open({ database: pg.url(app), logger: recordingLogger(), retryMs: 100, ...extra });
    open.push(o);
    return o;
  }

  it('runs no query while idle (its connections stay untouched) and wakes on the NOTIFY of another process’s insert', async () => {
    // The safety timer is far beyond the test: only the NOTIFY can wake the worker.
    const worker = await openOn('idle-worker', { idleCheckMs: 600_000 });
    const producer = await openOn('producer');
    const delivered = new Promise<string>((resolve) => worker.on('delivered', (m) => resolve(m.id)));
    worker.register('smtp', () => undefined);
    worker.start();
    // Settled: its connections idle and unchanged across 300 ms (a cycle runs several statements).
    let before = await activity(pg.admin, 'idle-worker');
    await waitForAsync(async () => {
      await new Promise((r) => setTimeout(r, 300));
      const now = await activity(pg.admin, 'idle-worker');
      const settled = now.every((c) => c.state === 'idle') && JSON.stringify(now) === JSON.stringify(before);
      before = now;
      return settled;
    }, 10_000, 'the worker going idle');
    expect(before.some((c) => c.query.startsWith('LISTEN'))).toBe(true);
    // Absence of queries can only be observed over a span of time: no event to await here.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await activity(pg.admin, 'idle-worker')).toEqual(before);

    const m = await producer.enqueue('smtp', { to: 'a' });
    expect(await delivered).toBe(m.id);
  });

  it('reconnects by itself after PostgreSQL drops every connection of the worker, and delivers what was enqueued meanwhile', async () => {
    const worker = await openOn('dropped-worker', { idleCheckMs: 600_000 });
    const producer = await openOn('producer');
    const got: string[] = [];
    worker.register('smtp', (m) => void got.push(m.id));
    worker.start();
    const first = await producer.enqueue('smtp', { n: 1 });
    await waitForAsync(async () => got.includes(first.id), 10_000, 'the first delivery');

    // What a server restart does to the worker: every backend of it terminated.
    await pg.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', ['dropped-worker']);
    const second = await producer.enqueue('smtp', { n: 2 });
    await waitForAsync(async () => got.includes(second.id), 20_000, 'the delivery after the reconnect');
    await waitForAsync(async () => (await activity(pg.admin, 'dropped-worker')).some((c) => c.query.startsWith('LISTEN')), 10_000, 'LISTEN again');
    const third = await producer.enqueue('smtp', { n: 3 });
    await waitForAsync(async () => got.includes(third.id), 10_000, 'a NOTIFY-driven delivery on the new LISTEN connection');
    expect(got).toEqual([first.id, second.id, third.id]);
  });

  it('gives a claimed message to one worker until its lease lapses', async () => {
    const a = await openOn('lease-a', { leaseMs: 400, attemptTimeoutMs: 300 });
    const b = await openOn('lease-b', { leaseMs: 400, attemptTimeoutMs: 300 });
    const producer = await openOn('producer');
    const hits: string[] = [];
    // a hangs past its time limit only in the sense that its attempt is aborted: b must not get it meanwhile.
    a.register('smtp', (_m, signal) => new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })).finally(() => hits.push('a')));
    const m = await producer.enqueue('smtp', {});
    a.start();
    await waitForAsync(async () => (await producer.get(m.id))?.state === 'delivering', 5000, 'a claiming');
    b.register('smtp', () => void hits.push('b'));
    b.start();
    await b.drain();
    expect((await producer.get(m.id))?.state).not.toBe('delivered');
    await a.stop();
    await waitForAsync(async () => (await producer.get(m.id))?.state === 'delivered', 10_000, 'b delivering after a let go');
    expect(hits[0]).toBe('a');
  });
});
