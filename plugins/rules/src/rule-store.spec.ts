import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleNotFoundError, RuleValidationError } from './errors';
import { HandlerModuleRegistry } from './handler-module-registry';
import { LoggerHandler } from './logger-handler';
import { RULES_SCHEMA_VERSION } from './migrations';
import { RuleStore } from './rule-store';

const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler(() => undefined)] });
const input = { name: 'log accounts', events: ['AccountCreated'], handlerModule: 'Logger', action: 'log', options: { message: 'hi' } };

describe('RuleStore', () => {
  let dir: string;
  let db: Database.Database;
  let store: RuleStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pb-rules-store-'));
    db = new Database(join(dir, 'rules.db'));
    store = new RuleStore(db, { registry });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates rules with defaults and reads them back', () => {
    const rule = store.create(input);
    expect(rule).toMatchObject({ id: 1, name: 'log accounts', active: true, ordering: 0, position: 'post', abortOnError: false, conditions: {} });
    expect(rule.createdAt).toBeInstanceOf(Date);
    expect(store.get(rule.id)).toEqual(rule);
    expect(store.get(99)).toBeUndefined();
  });

  it('keeps rules across closing and reopening the database file', () => {
    const a = store.create({ ...input, conditions: { client_ip: '10.0.0.0/8,!10.0.0.5' }, ordering: 5, position: 'pre', abortOnError: true });
    db.close();
    db = new Database(join(dir, 'rules.db'));
    const reopened = new RuleStore(db, { registry });
    expect(reopened.get(a.id)).toEqual(a);
    expect(db.prepare('SELECT MAX(version) FROM rules_schema').pluck().get()).toBe(RULES_SCHEMA_VERSION);
  });

  it('lists in dispatch order (ordering, then id) with filters', () => {
    const b = store.create({ ...input, name: 'b', ordering: 2 });
    const a = store.create({ ...input, name: 'a', ordering: 1, events: ['X'], position: 'pre' });
    const c = store.create({ ...input, name: 'c', ordering: 2, active: false });
    expect(store.list().map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(store.list({ active: true }).map((r) => r.name)).toEqual(['a', 'b']);
    expect(store.list({ event: 'X' }).map((r) => r.name)).toEqual(['a']);
    expect(store.list({ position: 'post', handlerModule: 'Logger' }).map((r) => r.name)).toEqual(['b', 'c']);
  });

  it('updates a subset of fields, validating the merged rule', () => {
    const rule = store.create(input);
    const updated = store.update(rule.id, { ordering: 7, options: { message: 'changed', level: 'warn' } });
    expect(updated).toMatchObject({ ordering: 7, name: 'log accounts', options: { message: 'changed', level: 'warn' } });
    expect(() => store.update(rule.id, { options: { level: 'loud' } })).toThrow(RuleValidationError);
    expect(store.get(rule.id)?.options).toEqual({ message: 'changed', level: 'warn' });
    expect(() => store.update(404, { ordering: 1 })).toThrow(RuleNotFoundError);
  });

  it('never saves a bad rule', () => {
    expect(() => store.create({ ...input, options: {} })).toThrow(/options.message: is required/);
    expect(() => store.create({ ...input, handlerModule: 'Missing' })).toThrow(RuleValidationError);
    expect(store.list()).toEqual([]);
  });

  it('refuses a duplicate name on create and rename', () => {
    const a = store.create(input);
    const b = store.create({ ...input, name: 'other' });
    expect(() => store.create(input)).toThrow(expect.objectContaining({ code: 'PB_RULES_INVALID', issues: [{ path: 'name', message: `a rule named "log accounts" already exists (id ${a.id})` }] }));
    expect(() => store.update(b.id, { name: 'log accounts' })).toThrow(/already exists/);
    expect(store.update(a.id, { name: 'log accounts', ordering: 3 }).ordering).toBe(3);
  });

  it('activates, deactivates and deletes, counting revisions', () => {
    const r0 = store.revision();
    const rule = store.create(input);
    expect(store.setActive(rule.id, false).active).toBe(false);
    expect(store.setActive(rule.id, true).active).toBe(true);
    expect(() => store.setActive(55, true)).toThrow(expect.objectContaining({ code: 'PB_RULES_NOT_FOUND' }));
    expect(store.delete(rule.id)).toBe(true);
    expect(store.delete(rule.id)).toBe(false);
    expect(store.revision()).toBeGreaterThanOrEqual(r0 + 5);
  });

  it('sees writes made through another connection to the same file', () => {
    const other = new Database(join(dir, 'rules.db'));
    try {
      const before = store.revision();
      new RuleStore(other, { registry }).create(input);
      expect(store.revision()).toBe(before + 1);
      expect(store.list()).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  it('refuses a database migrated by a newer version', () => {
    db.prepare('INSERT INTO rules_schema (version, applied_at) VALUES (?, ?)').run(RULES_SCHEMA_VERSION + 1, new Date().toISOString());
    expect(() => new RuleStore(db, { registry })).toThrow(expect.objectContaining({ code: 'PB_RULES_SCHEMA' }));
  });

  describe('event log', () => {
    it('records entries and queries them by rule, event, status, time, with paging', () => {
      const log = store.eventLog;
      const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
      log.record({ ruleId: 1, ruleName: 'a', event: 'E1', eventId: 'x1', position: 'pre', status: 'ok', detail: 'done', durationMs: 1.5, at: t(1) });
      log.record({ ruleId: 2, ruleName: 'b', event: 'E1', eventId: 'x1', position: 'pre', status: 'failed', error: 'boom', durationMs: 2, at: t(2) });
      log.record({ ruleId: 1, ruleName: 'a', event: 'E2', eventId: 'x2', position: 'post', status: 'skipped', durationMs: 0.1, at: t(3) });
      expect(log.query().map((e) => e.at.getTime())).toEqual([t(3), t(2), t(1)].map((d) => d.getTime()));
      expect(log.query({ ruleId: 1, order: 'asc' }).map((e) => e.event)).toEqual(['E1', 'E2']);
      expect(log.query({ status: 'failed' })).toEqual([
        { id: 2, ruleId: 2, ruleName: 'b', event: 'E1', eventId: 'x1', position: 'pre', status: 'failed', error: 'boom', durationMs: 2, at: t(2) },
      ]);
      expect(log.query({ eventId: 'x1', position: 'pre' })).toHaveLength(2);
      expect(log.query({ since: t(2), until: t(3) }).map((e) => e.id)).toEqual([2]);
      expect(log.query({ limit: 1, offset: 1 }).map((e) => e.id)).toEqual([2]);
      expect(log.count({ event: 'E1' })).toBe(2);
      expect(log.prune(t(3))).toBe(2);
      expect(log.count()).toBe(1);
    });
  });

  it('works on an in-memory database', () => {
    const mem = new Database(':memory:');
    try {
      const s = new RuleStore(mem, { registry });
      s.create(input);
      expect(s.list()).toHaveLength(1);
    } finally {
      mem.close();
    }
  });
});
