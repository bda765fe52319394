import { HandlerModuleRegistry, LoggerHandler, RuleNotFoundError, RuleStore, RulesEngine, RuleValidationError } from '@plugboard/rules';
import { DIALECTS, type OpenedDatabase } from './dialects';
import { Recorder, event } from './helpers';

const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler(() => undefined)] });
const input = { name: 'log accounts', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log', options: { message: 'hi' } };

describe.each(DIALECTS)('RuleStore on %s', (_dialect, openDb) => {
  let o: OpenedDatabase;
  let store: RuleStore;
  beforeEach(async () => {
    o = await openDb();
    store = await RuleStore.open(o.db, { registry });
  });
  afterEach(async () => {
    await store.close();
    await o.done();
  });

  it('creates rules with defaults and reads them back', async () => {
    const rule = await store.create(input);
    expect(rule).toMatchObject({ id: 1, name: 'log accounts', active: true, ordering: 0, position: 'post', abortOnError: false, conditions: {} });
    expect(rule.createdAt).toBeInstanceOf(Date);
    expect(await store.get(rule.id)).toEqual(rule);
    expect(await store.get(99)).toBeUndefined();
  });

  it('lists in dispatch order (ordering, then id) with filters', async () => {
    const b = await store.create({ ...input, name: 'b', ordering: 2 });
    const a = await store.create({ ...input, name: 'a', ordering: 1, events: ['X'], position: 'pre' });
    const c = await store.create({ ...input, name: 'c', ordering: 2, active: false });
    expect((await store.list()).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect((await store.list({ active: true })).map((r) => r.name)).toEqual(['a', 'b']);
    expect((await store.list({ event: 'X' })).map((r) => r.name)).toEqual(['a']);
    expect((await store.list({ position: 'post', handlerModule: 'Logger' })).map((r) => r.name)).toEqual(['b', 'c']);
  });

  it('updates a subset of fields, validating the merged rule', async () => {
    const rule = await store.create(input);
    const updated = await store.update(rule.id, { ordering: 7, options: { message: 'changed', level: 'warn' } });
    expect(updated).toMatchObject({ ordering: 7, name: 'log accounts', options: { message: 'changed', level: 'warn' } });
    await expect(store.update(rule.id, { options: { level: 'loud' } })).rejects.toThrow(RuleValidationError);
    expect((await store.get(rule.id))?.options).toEqual({ message: 'changed', level: 'warn' });
    await expect(store.update(404, { ordering: 1 })).rejects.toThrow(RuleNotFoundError);
  });

  it('never saves a bad rule', async () => {
    await expect(store.create({ ...input, options: {} })).rejects.toThrow(/options.message: is required/);
    await expect(store.create({ ...input, handlerModule: 'Missing' })).rejects.toThrow(RuleValidationError);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a duplicate name on create and rename, and rolls the refused write back', async () => {
    const a = await store.create(input);
    const b = await store.create({ ...input, name: 'other' });
    const revision = await store.revision();
    await expect(store.create(input)).rejects.toThrow(expect.objectContaining({ code: 'PB_RULES_INVALID', issues: [{ path: 'name', message: `a rule named "log accounts" already exists (id ${a.id})` }] }));
    await expect(store.update(b.id, { name: 'log accounts' })).rejects.toThrow(/already exists/);
    expect(await store.revision()).toBe(revision);
    expect((await store.update(a.id, { name: 'log accounts', ordering: 3 })).ordering).toBe(3);
  });

  it('activates, deactivates and deletes, counting revisions', async () => {
    const r0 = await store.revision();
    const rule = await store.create(input);
    expect((await store.setActive(rule.id, false)).active).toBe(false);
    expect((await store.setActive(rule.id, true)).active).toBe(true);
    await expect(store.setActive(55, true)).rejects.toThrow(expect.objectContaining({ code: 'PB_RULES_NOT_FOUND' }));
    expect(await store.delete(rule.id)).toBe(true);
    expect(await store.delete(rule.id)).toBe(false);
    expect(await store.revision()).toBe(r0 + 5);
  });

  it('records log entries and queries them by rule, event, status, time, with paging', async () => {
    const log = store.eventLog;
    const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
    log.record({ ruleId: 1, ruleName: 'a', event: 'E1', eventId: 'x1', position: 'pre', status: 'ok', detail: 'done', durationMs: 1.5, at: t(1) });
    log.record({ ruleId: 2, ruleName: 'b', event: 'E1', eventId: 'x1', position: 'pre', status: 'failed', error: 'boom', durationMs: 2, at: t(2) });
    log.record({ ruleId: 1, ruleName: 'a', event: 'E2', eventId: 'x2', position: 'post', status: 'queued', durationMs: 0.1, at: t(3) });
    expect((await log.query()).map((e) => e.at.getTime())).toEqual([t(3), t(2), t(1)].map((d) => d.getTime()));
    expect((await log.query({ ruleId: 1, order: 'asc' })).map((e) => e.event)).toEqual(['E1', 'E2']);
    expect(await log.query({ status: 'failed' })).toEqual([
      { id: 2, ruleId: 2, ruleName: 'b', event: 'E1', eventId: 'x1', position: 'pre', status: 'failed', error: 'boom', durationMs: 2, at: t(2) },
    ]);
    expect(await log.query({ eventId: 'x1', position: 'pre' })).toHaveLength(2);
    expect((await log.query({ since: t(2), until: t(3) })).map((e) => e.id)).toEqual([2]);
    expect((await log.query({ limit: 1, offset: 1 })).map((e) => e.id)).toEqual([2]);
    expect(await log.count({ event: 'E1' })).toBe(2);
    expect(await log.prune(t(3))).toBe(2);
    expect(await log.count()).toBe(1);
  });

  it('writes the entries recorded in one turn in the background and loses none at flush', async () => {
    for (let i = 0; i < 300; i++) store.eventLog.record({ ruleId: 1, ruleName: 'a', event: 'E', eventId: `e${i}`, position: 'post', status: 'ok', durationMs: 1 });
    await store.eventLog.flush();
    const other = new RuleStore(await o.other(), { registry });
    expect(await other.eventLog.count({ event: 'E' })).toBe(300);
  });

  it('lets an engine on another connection run a rule written here at its next dispatch', async () => {
    const recorder = new Recorder();
    const withRecorder = new HandlerModuleRegistry({ modules: [recorder] });
    const writer = new RuleStore(store.db, { registry: withRecorder });
    const reader = new RuleStore(await o.other(), { registry: withRecorder });
    // On SQLite another connection is seen by the revision check (externalCheckMs), on PostgreSQL by the notification.
    const engine = new RulesEngine({ store: reader, registry: withRecorder, externalCheckMs: 0 });
    try {
      await engine.dispatch(event('AccountCreated'));
      let heard = (): void => undefined;
      const seen = new Promise<void>((resolve) => (heard = resolve));
      await reader.db.listen('rules', () => heard());
      const written = Date.now();
      await writer.create({ name: 'remote', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'record', options: { tag: 'remote' } });
      await seen;
      expect(Date.now() - written).toBeLessThan(1000);
      await engine.dispatch(event('AccountCreated'));
      expect(recorder.tags()).toEqual(['remote']);
    } finally {
      await engine.close();
      await reader.eventLog.flush();
    }
  });
});
