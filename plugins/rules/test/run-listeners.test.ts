import type { RuleRunSummary } from '@plugboard/rules';
import { event, setup } from './helpers';

describe('RulesEngine.onRun', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => env.close());

  it('tells listeners about every rule run with its outcome and event, failed and skipped ones included', async () => {
    const { store, engine } = env;
    await store.create({ name: 'ok', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'record', options: { tag: 'a' }, ordering: 1 });
    await store.create({ name: 'broken', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'fail', options: { message: 'no' }, ordering: 2 });
    await store.create({ name: 'never', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'record', options: { tag: 'b' }, conditions: { result_status: 'failure' }, ordering: 3 });
    const seen: [string, string, string][] = [];
    engine.onRun((run: RuleRunSummary, e) => seen.push([run.ruleName, run.status, e.event]));
    await engine.dispatch(event('AccountCreated'));
    expect(seen).toEqual([
      ['ok', 'ran', 'AccountCreated'],
      ['broken', 'failed', 'AccountCreated'],
      ['never', 'skipped', 'AccountCreated'],
    ]);
  });

  it('keeps dispatching when a listener throws, logs it, and stops calling a listener after its undo', async () => {
    const { store, engine, logger } = env;
    await store.create({ name: 'ok', events: ['AccountCreated'], handlerModule: 'Recorder', action: 'record', options: { tag: 'a' } });
    const off = engine.onRun(() => {
      throw new Error('counter broke');
    });
    const summary = await engine.dispatch(event('AccountCreated'));
    expect(summary.rules.map((r) => r.status)).toEqual(['ran']);
    expect(logger.lines.map((l) => l.message)).toEqual([expect.stringContaining('counter broke')]);
    off();
    await engine.dispatch(event('AccountCreated'));
    expect(logger.lines).toHaveLength(1);
  });
});
