import Database from 'better-sqlite3';
import { RuleAbortError, RuleActionError, RuleStore, type RuleInput } from '@plugboard/rules';
import { event, setup } from './helpers';

type Env = ReturnType<typeof setup>;

function rule(over: Partial<RuleInput> & { tag?: string }): RuleInput {
  const { tag, ...rest } = over;
  return {
    name: tag ?? `rule-${Math.random()}`,
    events: ['AccountCreated'],
    handlerModule: 'Recorder',
    action: 'record',
    options: { tag: tag ?? 'x' },
    ...rest,
  };
}

describe('RulesEngine', () => {
  let env: Env;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => env.close());

  it('runs matching rules in ascending ordering, ties by id, and returns a summary per rule', async () => {
    const { store, engine, recorder } = env;
    await store.create(rule({ tag: 'c', ordering: 10 }));
    await store.create(rule({ tag: 'a', ordering: -5 }));
    await store.create(rule({ tag: 'b1', ordering: 0 }));
    await store.create(rule({ tag: 'b2', ordering: 0 }));
    await store.create(rule({ tag: 'other-event', events: ['AccountDeleted'] }));
    const summary = await engine.dispatch(event('AccountCreated', { eventId: 'e-1' }));
    expect(recorder.tags()).toEqual(['a', 'b1', 'b2', 'c']);
    expect(summary.event).toBe('AccountCreated');
    expect(summary.eventId).toBe('e-1');
    expect(summary.rules.map((r) => [r.ruleName, r.status])).toEqual([
      ['a', 'ran'],
      ['b1', 'ran'],
      ['b2', 'ran'],
      ['c', 'ran'],
    ]);
    expect(summary.rules[0]).toMatchObject({ handlerModule: 'Recorder', action: 'record', detail: 'recorded a' });
    for (const r of summary.rules) expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs pre rules only for pre events and post rules only for post events', async () => {
    const { store, engine, recorder } = env;
    await store.create(rule({ tag: 'before', position: 'pre' }));
    await store.create(rule({ tag: 'after', position: 'post' }));
    await engine.dispatch(event('AccountCreated', { position: 'pre' }));
    expect(recorder.tags()).toEqual(['before']);
    await engine.dispatch(event('AccountCreated', { position: 'post', result: { status: 'success', value: 1 } }));
    expect(recorder.tags()).toEqual(['before', 'after']);
    expect(recorder.calls[1].ctx.result).toEqual({ status: 'success', value: 1 });
  });

  it('returns an empty summary when nothing matches', async () => {
    const summary = await env.engine.dispatch(event('Nothing'));
    expect(summary.rules).toEqual([]);
  });

  it('applies option defaults of the action before calling it', async () => {
    await env.store.create(rule({ tag: 'd' }));
    await env.store.create(rule({ tag: 'e', options: { tag: 'e', level: 9 } }));
    await env.engine.dispatch(event('AccountCreated'));
    expect(env.recorder.calls.map((c) => c.options)).toEqual([
      { level: 3, tag: 'd' },
      { level: 9, tag: 'e' },
    ]);
  });

  it('matches the * wildcard and patterns such as Account*', async () => {
    const { store, engine, recorder } = env;
    await store.create(rule({ tag: 'all', events: ['*'], ordering: 2 }));
    await store.create(rule({ tag: 'accounts', events: ['Account*'], ordering: 1 }));
    await store.create(rule({ tag: 'api', events: ['POST /api/*'], ordering: 3 }));
    await store.create(rule({ tag: 'both', events: ['AccountCreated', 'Account*'], ordering: 4 }));
    await engine.dispatch(event('AccountCreated'));
    expect(recorder.tags()).toEqual(['accounts', 'all', 'both']);
    recorder.calls.length = 0;
    await engine.dispatch(event('POST /api/domains'));
    expect(recorder.tags()).toEqual(['all', 'api']);
    recorder.calls.length = 0;
    await engine.dispatch(event('DomainCreated.x'));
    expect(recorder.tags()).toEqual(['all']);
    expect(engine.match('Accounts', 'post').map((r) => r.name)).toEqual(['accounts', 'all', 'both']);
    expect(engine.match('xAccountCreated', 'post').map((r) => r.name)).toEqual(['all']);
  });

  it('skips inactive rules and notices activation changes made through the store', async () => {
    const { store, engine, recorder } = env;
    const r = await store.create(rule({ tag: 'toggle', active: false }));
    await engine.dispatch(event('AccountCreated'));
    expect(recorder.tags()).toEqual([]);
    await store.setActive(r.id, true);
    await engine.dispatch(event('AccountCreated'));
    expect(recorder.tags()).toEqual(['toggle']);
    await store.update(r.id, { events: ['Other'] });
    await engine.dispatch(event('AccountCreated'));
    expect(recorder.tags()).toEqual(['toggle']);
    await store.delete(r.id);
    expect(engine.match('Other', 'post')).toEqual([]);
  });

  it('notices rules written by another connection (e.g. the CLI) to the same database file', async () => {
    const watching = setup({ externalCheckMs: 0 });
    try {
      await watching.engine.dispatch(event('AccountCreated'));
      await env.engine.dispatch(event('AccountCreated'));
      for (const target of [watching, env]) {
        const cli = new Database(target.file);
        try {
          await new RuleStore(cli, { registry: target.registry }).create(rule({ tag: 'from-cli' }));
        } finally {
          cli.close();
        }
      }
      // Checked on every dispatch with externalCheckMs: 0; otherwise after invalidate() (or the interval).
      await watching.engine.dispatch(event('AccountCreated'));
      expect(watching.recorder.tags()).toEqual(['from-cli']);
      env.engine.invalidate();
      await env.engine.dispatch(event('AccountCreated'));
      expect(env.recorder.tags()).toEqual(['from-cli']);
    } finally {
      await watching.close();
    }
  });

  it('runs the action only when all conditions hold and records skipped rules', async () => {
    const { store, engine, recorder } = env;
    await store.create(
      rule({
        tag: 'admins-from-lan',
        conditions: { logged_in_user: 'admin', client_ip: '10.0.0.0/8,!10.0.0.5', payload_compare: 'quota > 100' },
      }),
    );
    const admin = { username: 'root', role: 'admin' };
    const s1 = await engine.dispatch(event('AccountCreated', { loggedInUser: admin, request: { ip: '10.1.1.1' }, payload: { quota: 500 } }));
    const s2 = await engine.dispatch(event('AccountCreated', { loggedInUser: admin, request: { ip: '10.0.0.5' }, payload: { quota: 500 } }));
    const s3 = await engine.dispatch(event('AccountCreated', { loggedInUser: admin, request: { ip: '10.1.1.1' }, payload: {} }));
    expect(recorder.tags()).toEqual(['admins-from-lan']);
    expect([s1, s2, s3].map((s) => s.rules[0].status)).toEqual(['ran', 'skipped', 'skipped']);
    expect((await store.eventLog.query({ order: 'asc' })).map((e) => e.status)).toEqual(['ok', 'skipped', 'skipped']);
  });

  it('can leave skipped rules out of the event log', async () => {
    const quiet = setup({ logSkipped: false });
    try {
      await quiet.store.create(rule({ tag: 'never', conditions: { result_status: 'failure' } }));
      const s = await quiet.engine.dispatch(event('AccountCreated', { result: { status: 'success' } }));
      expect(s.rules[0].status).toBe('skipped');
      expect((await quiet.store.eventLog.count())).toBe(0);
    } finally {
      await quiet.close();
    }
  });

  it('isolates a failing action: logs it, records it in the event log and runs the next rules', async () => {
    const { store, engine, recorder, logger } = env;
    await store.create(rule({ tag: 'first', ordering: 1 }));
    const bad = await store.create(rule({ name: 'broken', ordering: 2, action: 'fail', options: { message: 'SMTP down' } }));
    await store.create(rule({ tag: 'last', ordering: 3, action: 'slow' }));
    const summary = await engine.dispatch(event('AccountCreated', { eventId: 'evt-42' }));
    expect(summary.rules.map((r) => r.status)).toEqual(['ran', 'failed', 'ran']);
    expect(summary.rules[1].error).toBe('SMTP down');
    expect(summary.rules[2]).toMatchObject({ detail: 'slow last', queued: ['m1'] });
    expect(recorder.calls.map((c) => c.action)).toEqual(['record', 'fail', 'slow']);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0].message).toBe('Rule "broken" (Recorder.fail) failed on event "AccountCreated": SMTP down');
    expect(logger.lines[0].details).toMatchObject({ ruleId: bad.id, eventId: 'evt-42' });
    const failed = (await store.eventLog.query({ status: 'failed' }));
    expect(failed).toEqual([
      expect.objectContaining({ ruleId: bad.id, ruleName: 'broken', event: 'AccountCreated', eventId: 'evt-42', position: 'post', error: 'SMTP down' }),
    ]);
    expect((await store.eventLog.query({ eventId: 'evt-42', order: 'asc' })).map((e) => [e.ruleName, e.status, e.detail])).toEqual([
      ['first', 'ok', 'recorded first'],
      ['broken', 'failed', undefined],
      ['last', 'queued', 'slow last'],
    ]);
  });

  it('stops at a failing rule with abortOnError and throws an error naming it', async () => {
    const { store, engine, recorder } = env;
    await store.create(rule({ tag: 'first', ordering: 1 }));
    const strict = await store.create(rule({ name: 'must-succeed', ordering: 2, action: 'fail', options: { message: 'quota service down' }, abortOnError: true }));
    await store.create(rule({ tag: 'never', ordering: 3 }));
    const err = await engine.dispatch(event('AccountCreated')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleActionError);
    const e = err as RuleActionError;
    expect(e.code).toBe('PB_RULES_ACTION_FAILED');
    expect(e.rule).toEqual({ id: strict.id, name: 'must-succeed' });
    expect(e.message).toMatch(/^Rule "must-succeed" \(id \d+\) failed on event "AccountCreated" and has abortOnError set/);
    expect((e.cause as Error).message).toBe('quota service down');
    expect(e.summary?.rules.map((r) => r.status)).toEqual(['ran', 'failed']);
    expect(recorder.tags()).toEqual(['first', 'quota service down']);
    expect((await store.eventLog.count({ status: 'failed' }))).toBe(1);
  });

  it('lets a pre rule abort the request with RuleAbortError naming the rule', async () => {
    const { store, engine, recorder } = env;
    await store.create(rule({ name: 'no-reserved', events: ['POST /api/domains'], position: 'pre', ordering: 1, action: 'abort', options: { reason: 'this domain name is reserved' }, conditions: { payload_match: 'name=^admin\\.' } }));
    await store.create(rule({ tag: 'after-abort', events: ['POST /api/domains'], position: 'pre', ordering: 2 }));
    const ok = await engine.dispatch(event('POST /api/domains', { position: 'pre', payload: { name: 'example.org' } }));
    expect(ok.rules.map((r) => r.status)).toEqual(['skipped', 'ran']);
    const err = await engine.dispatch(event('POST /api/domains', { position: 'pre', payload: { name: 'admin.example.org' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleAbortError);
    const e = err as RuleAbortError;
    expect(e.code).toBe('PB_RULES_ABORTED');
    expect(e.reason).toBe('this domain name is reserved');
    expect(e.rule?.name).toBe('no-reserved');
    expect(e.message).toBe(
      `Rule "no-reserved" (id ${e.rule?.id}) aborted event "POST /api/domains": this domain name is reserved. Change the request or deactivate the rule.`,
    );
    expect(recorder.tags()).toEqual(['after-abort', 'this domain name is reserved']);
    expect((await store.eventLog.query({ status: 'failed' }))[0]).toMatchObject({ ruleName: 'no-reserved', error: 'this domain name is reserved' });
  });

  it('fails (and records) a rule whose handler module is no longer registered, without stopping others', async () => {
    const { store, engine, registry, recorder } = env;
    const off = registry.register({
      identifier: 'Temp',
      description: 'temporary',
      actions: { go: { description: 'go', options: {} } },
      conditions: {},
      checkCondition: () => true,
      do: () => undefined,
    });
    await store.create({ name: 'temp', events: ['AccountCreated'], handlerModule: 'Temp', action: 'go', ordering: 1 });
    await store.create(rule({ tag: 'still-runs', ordering: 2 }));
    off();
    const summary = await engine.dispatch(event('AccountCreated'));
    expect(summary.rules.map((r) => [r.ruleName, r.status])).toEqual([
      ['temp', 'failed'],
      ['still-runs', 'ran'],
    ]);
    expect(summary.rules[0].error).toMatch(/handler module "Temp", which is not registered/);
    expect(recorder.tags()).toEqual(['still-runs']);
  });

  it('records a condition that throws as a failure', async () => {
    const { store, engine, registry } = env;
    registry.register({
      identifier: 'Picky',
      description: 'condition throws',
      actions: { go: { description: 'go', options: {} } },
      conditions: {},
      checkCondition: () => {
        throw new Error('directory unreachable');
      },
      do: () => undefined,
    });
    await store.create({ name: 'picky', events: ['AccountCreated'], handlerModule: 'Picky', action: 'go' });
    const summary = await engine.dispatch(event('AccountCreated'));
    expect(summary.rules[0]).toMatchObject({ status: 'failed', error: 'directory unreachable' });
  });

  it('keeps matching fast with 1,000 rules of which 10 match (hot path is a cached lookup)', async () => {
    const { db, store, engine } = env;
    // On SQLite a write runs before create() returns, so one outer transaction holds all of them.
    const insert = db.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        void store.create(rule({ tag: `r${i}`, events: [i % 100 === 0 ? 'Hot' : `Cold${i}`], conditions: { result_status: 'failure' } }));
      }
    });
    insert();
    expect(engine.match('Hot', 'post')).toHaveLength(10);
    // Identity of the cached list shows no per-event re-matching work.
    const internal = engine as unknown as { rules: { current(): { match(e: string, p: string): unknown } } };
    expect(internal.rules.current().match('Hot', 'post')).toBe(internal.rules.current().match('Hot', 'post'));
  });
});
