import { PgOutbox } from '../src';
import { deferred, recordingLogger, waitForAsync } from './support/helpers';
import { pgDatabase, type TestDatabase } from './support/pg';

/** Claims a message by hand as a process that then died: its lease lapsed a second ago. */
async function claimAsDeadProcess(pg: TestDatabase, id: string, attempts: number): Promise<void> {
  const past = Date.now() - 1000;
  await pg.admin.query(`UPDATE outbox_messages SET state = 'delivering', attempts = $2, due_at = $3, claimed_at = $3, claimed_by = 'dead-process' WHERE id = $1`, [id, attempts, past]);
}

describe('PgOutbox claims that lapse or are lost', () => {
  let pg: TestDatabase;
  let outbox: PgOutbox;
  let logger: ReturnType<typeof recordingLogger>;
  beforeEach(async () => {
    pg = await pgDatabase();
    logger = recordingLogger();
    outbox = await PgOutbox.open({ database: pg.url() as `postgres://${string}`, logger, backoff: { initialMs: 5, jitter: 0, maxAttempts: 3 } });
  });
  afterEach(async () => {
    await outbox.close();
    await pg.drop();
  });

  it('takes over a message whose claim lapsed in a dead process, records the lost attempt, then delivers it', async () => {
    const got: unknown[] = [];
    outbox.register('smtp', (m) => void got.push(m.payload));
    const m = await outbox.enqueue('smtp', { to: 'a@example.org' });
    await claimAsDeadProcess(pg, m.id, 1);
    const retried = new Promise((resolve) => outbox.once('retry', (_m, info) => resolve(info)));
    outbox.start();
    await outbox.drain();
    expect(await retried).toMatchObject({ attempt: 1, reason: 'lease-expired' });
    expect(got).toEqual([{ to: 'a@example.org' }]);
    expect(await outbox.get(m.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect((await outbox.attempts(m.id)).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'retry'], [2, 'delivered']]);
  });

  it('dead-letters, without delivering it, a message whose claim lapsed on its last attempt', async () => {
    const deliverer = jest.fn();
    outbox.register('smtp', deliverer);
    const m = await outbox.enqueue('smtp', { to: 'b@example.org' });
    await claimAsDeadProcess(pg, m.id, 3);
    const dead = new Promise((resolve) => outbox.once('dead', (_m, info) => resolve(info)));
    outbox.start();
    expect(await dead).toMatchObject({ attempt: 3, reason: 'max-attempts' });
    await outbox.drain();
    expect(deliverer).not.toHaveBeenCalled();
    expect(await outbox.get(m.id)).toMatchObject({ state: 'dead', attempts: 3, lastError: expect.stringContaining('claim lapsed') });
    expect((await outbox.attempts(m.id)).map((a) => [a.attempt, a.outcome])).toEqual([[3, 'dead']]);
  });

  it('leaves a message another process took over alone when a late attempt finishes, and logs the lost claim', async () => {
    const gate = deferred();
    const started = deferred();
    outbox.register('smtp', async () => {
      started.resolve();
      await gate.promise;
    });
    const m = await outbox.enqueue('smtp', { to: 'c@example.org' });
    outbox.start();
    await started.promise;
    // What a takeover after a lapsed lease leaves: the message claimed by someone else.
    await pg.admin.query(`UPDATE outbox_messages SET claimed_by = 'other-process' WHERE id = $1`, [m.id]);
    gate.resolve();
    await outbox.stop();
    expect(await outbox.get(m.id)).toMatchObject({ state: 'delivering' });
    const { rows } = await pg.admin.query<{ claimed_by: string }>('SELECT claimed_by FROM outbox_messages WHERE id = $1', [m.id]);
    expect(rows[0]?.claimed_by).toBe('other-process');
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ code: 'PB_OUTBOX_CLAIM_LOST', id: m.id }) }));
    expect((await outbox.attempts(m.id)).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'delivered']]);
  });

  it('keeps delivering while taking over a lapsed claim fails, and takes it over once it can, without spinning meanwhile', async () => {
    const log = recordingLogger();
    const retrying = await PgOutbox.open({ database: pg.url() as `postgres://${string}`, logger: log, retryMs: 100 });
    try {
      const got: unknown[] = [];
      retrying.register('smtp', (m) => void got.push(m.payload));
      const lapsed = await retrying.enqueue('smtp', { n: 'lapsed' });
      await claimAsDeadProcess(pg, lapsed.id, 1);
      // Refuses any takeover of a claim (and only that): the step that settles and claims pending messages still works.
      await pg.admin.query(`CREATE FUNCTION no_takeover() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF OLD.state = 'delivering' AND NEW.state = 'delivering' THEN RAISE EXCEPTION 'takeover refused'; END IF; RETURN NEW; END $$`);
      await pg.admin.query('CREATE TRIGGER no_takeover BEFORE UPDATE ON outbox_messages FOR EACH ROW EXECUTE FUNCTION no_takeover()');
      const fresh = await retrying.enqueue('smtp', { n: 'fresh' });
      retrying.start();
      await waitForAsync(async () => (await retrying.get(fresh.id))?.state === 'delivered', 10_000, 'the fresh message delivered');
      await new Promise((r) => setTimeout(r, 500));
      const failures = log.lines.filter((l) => l.level === 'warn' && String(l.msg).includes('taking over lapsed claims failed'));
      // One try per retryMs (100 ms), not a loop spinning on the failure.
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.length).toBeLessThan(20);
      await pg.admin.query('DROP TRIGGER no_takeover ON outbox_messages');
      await waitForAsync(async () => (await retrying.get(lapsed.id))?.state === 'delivered', 10_000, 'the lapsed message taken over and delivered');
      expect(got).toEqual([{ n: 'fresh' }, { n: 'lapsed' }]);
    } finally {
      await retrying.close();
    }
  });
});

