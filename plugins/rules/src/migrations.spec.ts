import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OLD_RUNNER_V1, OLD_RUNNER_V2 } from '../test/old-runner-schema';
import { HandlerModuleRegistry } from './handler-module-registry';
import { LoggerHandler } from './logger-handler';
import { RuleStore } from './rule-store';

const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler(() => undefined)] });
const OLD_RULE = `INSERT INTO rules_rule (name, active, ordering, position, events, handler_module, action, options, conditions, abort_on_error, created_at, updated_at)
  VALUES ('old rule', 1, 2, 'post', '["AccountCreated"]', 'Logger', 'log', '{"message":"hi"}', '{}', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  UPDATE rules_meta SET revision = 7;
  INSERT INTO rules_event_log (rule_id, rule_name, event, event_id, position, status, error, detail, duration_ms, at)
  VALUES (1, 'old rule', 'AccountCreated', 'e-old', 'post', 'ok', NULL, 'logged', 1.5, '2026-01-01T00:00:00.000Z');`;

describe.each([
  ['version 1', OLD_RUNNER_V1],
  ['version 2', `${OLD_RUNNER_V1}${OLD_RUNNER_V2}`],
])('a SQLite file of the old migration runner at %s', (_version, schema) => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pb-rules-old-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with its rules, revision and log intact, and the log accepts queued entries', async () => {
    const file = join(dir, 'host.db');
    const old = new Database(file);
    old.exec(schema);
    old.exec(OLD_RULE);
    old.close();

    const store = await RuleStore.open(file, { registry });
    expect(await store.list()).toEqual([expect.objectContaining({ id: 1, name: 'old rule', ordering: 2, options: { message: 'hi' } })]);
    expect(await store.revision()).toBe(7);
    expect(await store.eventLog.query()).toEqual([expect.objectContaining({ id: 1, ruleName: 'old rule', eventId: 'e-old', status: 'ok', detail: 'logged' })]);
    store.eventLog.record({ ruleId: 1, ruleName: 'old rule', event: 'AccountCreated', eventId: 'e-new', position: 'post', status: 'queued', durationMs: 1 });
    expect((await store.eventLog.query({ status: 'queued' })).map((e) => [e.id, e.eventId])).toEqual([[2, 'e-new']]);
    const next = await store.create({ name: 'new rule', events: ['X'], handlerModule: 'Logger', action: 'log', options: { message: 'x' } });
    expect(next.id).toBe(2);
    await store.close();

    const db = new Database(file);
    expect(() => db.prepare("INSERT INTO rules_event_log (rule_id, rule_name, event, event_id, position, status, duration_ms, at) VALUES (1, 'r', 'e', 'x', 'post', 'bogus', 1, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});
