import type { ConditionValues, OptionValues } from '@plugboard/core';
import type { Database, Statement } from 'better-sqlite3';
import { RuleNotFoundError, RuleValidationError } from './errors';
import { EventLog } from './event-log';
import type { RuleEventCatalogue } from './event-catalogue';
import type { HandlerModuleRegistry } from './handler-module-registry';
import { migrateRules } from './migrations';
import type { Rule, RuleInput, RulePatch, RulePosition, ValidRule } from './rule';
import { validateRule, type RuleSaveContext } from './validation';

interface Row {
  id: number;
  name: string;
  active: number;
  ordering: number;
  position: RulePosition;
  events: string;
  handler_module: string;
  action: string;
  options: string;
  conditions: string;
  abort_on_error: number;
  created_at: string;
  updated_at: string;
}

/** Filter of {@link RuleStore.list}. */
export interface RuleFilter {
  readonly active?: boolean;
  readonly position?: RulePosition;
  readonly handlerModule?: string;
  /** Rules listing exactly this event name (patterns are not expanded). */
  readonly event?: string;
}

/**
 * Rules in SQLite (tables `rules_*`, migrated on construction). Every write is validated against
 * the registry's handler modules first; a bad rule is never saved.
 *
 * @example
 * ```ts
 * const store = new RuleStore(new Database('plugboard.db'), { registry });
 * const rule = store.create({ name: 'log accounts', events: ['AccountCreated'], handlerModule: 'Logger',
 *   action: 'log', options: { message: 'account {username} created' } });
 * store.setActive(rule.id, false);
 * ```
 */
export class RuleStore {
  /** The event log kept in the same database. */
  readonly eventLog: EventLog;
  private readonly registry: HandlerModuleRegistry;
  private readonly events: RuleEventCatalogue | undefined;
  private writes = 0;
  private readonly s: {
    all: Statement<unknown[]>;
    byId: Statement<unknown[]>;
    byName: Statement<unknown[]>;
    insert: Statement<unknown[]>;
    update: Statement<unknown[]>;
    setActive: Statement<unknown[]>;
    remove: Statement<unknown[]>;
    bump: Statement<unknown[]>;
    revision: Statement<unknown[]>;
  };

  constructor(
    private readonly db: Database,
    // `events`: the host's events; without it any event name is accepted (the host raises what it likes).
    options: { readonly registry: HandlerModuleRegistry; readonly events?: RuleEventCatalogue },
  ) {
    migrateRules(db);
    this.registry = options.registry;
    this.events = options.events;
    this.eventLog = new EventLog(db);
    this.s = {
      all: db.prepare('SELECT * FROM rules_rule ORDER BY ordering, id'),
      byId: db.prepare('SELECT * FROM rules_rule WHERE id = ?'),
      byName: db.prepare('SELECT id FROM rules_rule WHERE name = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO rules_rule (name, active, ordering, position, events, handler_module, action, options, conditions, abort_on_error, created_at, updated_at)
         VALUES (@name, @active, @ordering, @position, @events, @handlerModule, @action, @options, @conditions, @abortOnError, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE rules_rule SET name = @name, active = @active, ordering = @ordering, position = @position, events = @events,
           handler_module = @handlerModule, action = @action, options = @options, conditions = @conditions,
           abort_on_error = @abortOnError, updated_at = @now
         WHERE id = @id`,
      ),
      setActive: db.prepare('UPDATE rules_rule SET active = ?, updated_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM rules_rule WHERE id = ?'),
      bump: db.prepare('UPDATE rules_meta SET revision = revision + 1 WHERE id = 1'),
      revision: db.prepare('SELECT revision FROM rules_meta WHERE id = 1').pluck(),
    };
  }

  /**
   * Counter increased by every rule write through any connection to this database, so an engine
   * in another process (or using another store) notices changes made by, say, a CLI.
   */
  revision(): number {
    return this.s.revision.get() as number;
  }

  /** Counter of writes made through this store object; free to read (no query). */
  get localRevision(): number {
    return this.writes;
  }

  /**
   * Validates and saves a new rule.
   * @throws RuleValidationError (`PB_RULES_INVALID`) naming every bad field; nothing is saved.
   */
  create(input: RuleInput): Rule {
    return this.write(() => {
      const rule = validateRule(input, this.registry, undefined, this.saveContext([]));
      this.assertUniqueName(rule.name, undefined);
      const id = Number(this.s.insert.run(this.params(rule)).lastInsertRowid);
      return this.mustGet(id);
    });
  }

  /**
   * Changes some fields of a rule; the merged rule is validated as a whole. `options` and
   * `conditions`, when given, replace the stored ones.
   * @throws RuleNotFoundError, RuleValidationError
   */
  update(id: number, patch: RulePatch): Rule {
    return this.write(() => {
      const current = this.mustGet(id);
      const merged: Record<string, unknown> = { ...toInput(current), ...stripUndefined(patch) };
      delete merged.id;
      delete merged.createdAt;
      delete merged.updatedAt;
      // The stored options are passed when the rule keeps its module and action, so a value that was valid when saved stays editable.
      const same = merged.handlerModule === current.handlerModule && merged.action === current.action;
      const rule = validateRule(merged, this.registry, same ? current.options : undefined, this.saveContext(current.events));
      this.assertUniqueName(rule.name, id);
      this.s.update.run({ ...this.params(rule), id });
      return this.mustGet(id);
    });
  }

  private saveContext(storedEvents: readonly string[]): RuleSaveContext {
    return this.events !== undefined ? { events: this.events, storedEvents } : {};
  }

  /** Activates or deactivates a rule. @throws RuleNotFoundError */
  setActive(id: number, active: boolean): Rule {
    return this.write(() => {
      if (this.s.setActive.run(active ? 1 : 0, new Date().toISOString(), id).changes === 0) throw new RuleNotFoundError(id);
      return this.mustGet(id);
    });
  }

  /** Deletes a rule (its event-log entries stay); false when there was none. */
  delete(id: number): boolean {
    return this.write(() => this.s.remove.run(id).changes > 0);
  }

  /** The rule, or `undefined`. */
  get(id: number): Rule | undefined {
    const row = this.s.byId.get(id) as Row | undefined;
    return row === undefined ? undefined : toRule(row);
  }

  /** Rules in dispatch order (ordering, then id), optionally filtered. */
  list(filter: RuleFilter = {}): Rule[] {
    const rules = (this.s.all.all() as Row[]).map(toRule);
    return rules.filter(
      (r) =>
        (filter.active === undefined || r.active === filter.active) &&
        (filter.position === undefined || r.position === filter.position) &&
        (filter.handlerModule === undefined || r.handlerModule === filter.handlerModule) &&
        (filter.event === undefined || r.events.includes(filter.event)),
    );
  }

  private write<T>(fn: () => T): T {
    const result = this.db.transaction(() => {
      const value = fn();
      this.s.bump.run();
      return value;
    })();
    this.writes++;
    return result;
  }

  private mustGet(id: number): Rule {
    const rule = this.get(id);
    if (rule === undefined) throw new RuleNotFoundError(id);
    return rule;
  }

  private assertUniqueName(name: string, exceptId: number | undefined): void {
    const existing = this.s.byName.get(name) as number | undefined;
    if (existing !== undefined && existing !== exceptId) {
      throw new RuleValidationError([{ path: 'name', message: `a rule named "${name}" already exists (id ${existing})` }], name);
    }
  }

  private params(rule: ValidRule): Record<string, unknown> {
    return {
      name: rule.name,
      active: rule.active ? 1 : 0,
      ordering: rule.ordering,
      position: rule.position,
      events: JSON.stringify(rule.events),
      handlerModule: rule.handlerModule,
      action: rule.action,
      options: JSON.stringify(rule.options),
      conditions: JSON.stringify(rule.conditions),
      abortOnError: rule.abortOnError ? 1 : 0,
      now: new Date().toISOString(),
    };
  }
}

function stripUndefined(patch: RulePatch): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function toInput(rule: Rule): RuleInput {
  return {
    name: rule.name,
    active: rule.active,
    ordering: rule.ordering,
    position: rule.position,
    events: rule.events,
    handlerModule: rule.handlerModule,
    action: rule.action,
    options: rule.options,
    conditions: rule.conditions,
    abortOnError: rule.abortOnError,
  };
}

function toRule(row: Row): Rule {
  return {
    id: row.id,
    name: row.name,
    active: row.active === 1,
    ordering: row.ordering,
    position: row.position,
    events: JSON.parse(row.events) as string[],
    handlerModule: row.handler_module,
    action: row.action,
    options: JSON.parse(row.options) as OptionValues,
    conditions: JSON.parse(row.conditions) as ConditionValues,
    abortOnError: row.abort_on_error === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
