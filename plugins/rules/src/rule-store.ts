import { exec, first, all, notify, SqlDatabase, type Work } from '@plugboard/sql';
import type { Database } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { RuleNotFoundError, RuleValidationError } from './errors';
import { EventLog } from './event-log';
import type { RuleEventCatalogue } from './event-catalogue';
import type { HandlerModuleRegistry } from './handler-module-registry';
import { migrateRules, migrateRulesSync } from './migrations';
import type { Rule, RuleInput, RulePatch, RulePosition, ValidRule } from './rule';
import { stripUndefined, toInput, toRow, toRule } from './rule-rows';
import type { RulesTables } from './rules-tables';
import { validateRule, type RuleSaveContext } from './validation';

/** The topic every rule write notifies (in its transaction), so engines everywhere reload. */
export const RULES_TOPIC = 'rules';

/** Filter of {@link RuleStore.list}. */
export interface RuleFilter {
  readonly active?: boolean;
  readonly position?: RulePosition;
  readonly handlerModule?: string;
  /** Rules listing exactly this event name (patterns are not expanded). */
  readonly event?: string;
}

/** Options of a {@link RuleStore}. */
export interface RuleStoreOptions {
  readonly registry: HandlerModuleRegistry;
  /** The host's events; without it any event name is accepted (the host raises what it likes). */
  readonly events?: RuleEventCatalogue;
}

/** Where the rules are kept: a {@link SqlDatabase}, or for SQLite a file path or an open better-sqlite3 Database. */
export type RuleStoreTarget = SqlDatabase | Database | string;

/** What an engine indexes: the active rules and the revision they were read at. */
export interface RuleSnapshot {
  readonly revision: number;
  readonly rules: readonly Rule[];
}

/**
 * Rules in SQLite or PostgreSQL (tables `rules_*`, scope `@plugboard/rules`). Every write is
 * validated against the registry's handler modules first (a bad rule is never saved), bumps the
 * revision and notifies the `rules` topic in its transaction, so engines in every process reload.
 *
 * @example
 * ```ts
 * const store = await RuleStore.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/plugboard.db', { registry });
 * const rule = await store.create({ name: 'log accounts', events: ['AccountCreated'], handlerModule: 'Logger',
 *   action: 'log', options: { message: 'account {username} created' } });
 * await store.setActive(rule.id, false);
 * ```
 */
export class RuleStore {
  /** The database the rules live in. */
  readonly db: SqlDatabase;
  /** The event log kept in the same database. */
  readonly eventLog: EventLog;
  private readonly k: Kysely<RulesTables>;
  private readonly registry: HandlerModuleRegistry;
  private readonly events: RuleEventCatalogue | undefined;
  private owned: boolean;
  private writes = 0;

  /**
   * A store on `target`, migrated now on SQLite. On PostgreSQL the tables must exist: use
   * {@link RuleStore.open}, which migrates on both.
   */
  constructor(target: RuleStoreTarget, options: RuleStoreOptions) {
    this.owned = !isSqlDatabase(target);
    this.db = isSqlDatabase(target) ? target : SqlDatabase.sqlite(target);
    if (this.db.dialect === 'sqlite') migrateRulesSync(this.db);
    this.k = this.db.as<RulesTables>();
    this.registry = options.registry;
    this.events = options.events;
    this.eventLog = new EventLog(this.db);
  }

  /**
   * Opens the target (a `postgres://` URL, a SQLite path, a better-sqlite3 Database or a
   * {@link SqlDatabase}), migrates the rules tables and returns the store.
   * @throws SqlError `PB_SQL_DATABASE` when PostgreSQL refuses the connection; `PB_SQL_SCHEMA` when a newer version migrated it.
   *
   * @example
   * ```ts
   * const store = await RuleStore.open('postgres://plugboard@db.internal/plugboard', { registry });
   * ```
   */
  static async open(target: RuleStoreTarget, options: RuleStoreOptions): Promise<RuleStore> {
    const db = isSqlDatabase(target) ? target : await SqlDatabase.open(target);
    await migrateRules(db);
    const store = new RuleStore(db, options);
    store.owned = !isSqlDatabase(target);
    return store;
  }

  /**
   * Counter increased by every rule write through any connection to this database, so an engine
   * in another process (or using another store) notices changes made by, say, a CLI.
   */
  revision(): Promise<number> {
    return this.db.run(this.revisionWork());
  }

  /** {@link RuleStore.revision} as a work (engines run it synchronously on SQLite). */
  *revisionWork(): Work<number> {
    const row = yield* first(this.k.selectFrom('rules_meta').select('revision').where('id', '=', 1));
    return Number(row?.revision ?? 0);
  }

  /** The active rules in dispatch order with the revision read in the same transaction. */
  *snapshotWork(): Work<RuleSnapshot> {
    const revision = yield* this.revisionWork();
    const rows = yield* all(this.k.selectFrom('rules_rule').selectAll().where('active', '=', 1).orderBy('ordering').orderBy('id'));
    return { revision, rules: rows.map(toRule) };
  }

  /** Counter of writes made through this store object; free to read (no query). */
  get localRevision(): number {
    return this.writes;
  }

  /**
   * Validates and saves a new rule.
   * @throws RuleValidationError (`PB_RULES_INVALID`) naming every bad field; nothing is saved.
   */
  async create(input: RuleInput): Promise<Rule> {
    const rule = validateRule(input, this.registry, undefined, this.saveContext([]));
    return this.write(this.insert(rule));
  }

  private *insert(rule: ValidRule): Work<Rule> {
    yield* this.assertUniqueName(rule.name, undefined);
    const row = yield* first(this.k.insertInto('rules_rule').values(toRow(rule, new Date().toISOString())).returning('id'));
    return yield* this.mustGet(Number(row?.id));
  }

  /**
   * Changes some fields of a rule; the merged rule is validated as a whole. `options` and
   * `conditions`, when given, replace the stored ones.
   * @throws RuleNotFoundError, RuleValidationError
   */
  update(id: number, patch: RulePatch): Promise<Rule> {
    return this.write(this.patch(id, patch));
  }

  private *patch(id: number, patch: RulePatch): Work<Rule> {
    const current = yield* this.mustGet(id);
    const merged: Record<string, unknown> = { ...toInput(current), ...stripUndefined(patch) };
    // The stored options are passed when the rule keeps its module and action, so a value that was valid when saved stays editable.
    const same = merged.handlerModule === current.handlerModule && merged.action === current.action;
    const rule = validateRule(merged, this.registry, same ? current.options : undefined, this.saveContext(current.events));
    yield* this.assertUniqueName(rule.name, id);
    const { created_at: _created, ...values } = toRow(rule, new Date().toISOString());
    yield* exec(this.k.updateTable('rules_rule').set(values).where('id', '=', id));
    return yield* this.mustGet(id);
  }

  private saveContext(storedEvents: readonly string[]): RuleSaveContext {
    return this.events !== undefined ? { events: this.events, storedEvents } : {};
  }

  /** Activates or deactivates a rule. @throws RuleNotFoundError */
  setActive(id: number, active: boolean): Promise<Rule> {
    return this.write(this.activate(id, active));
  }

  private *activate(id: number, active: boolean): Work<Rule> {
    const changed = yield* exec(this.k.updateTable('rules_rule').set({ active: active ? 1 : 0, updated_at: new Date().toISOString() }).where('id', '=', id));
    if (changed === 0) throw new RuleNotFoundError(id);
    return yield* this.mustGet(id);
  }

  /** Deletes a rule (its event-log entries stay); false when there was none. */
  delete(id: number): Promise<boolean> {
    return this.write(this.remove(id));
  }

  private *remove(id: number): Work<boolean> {
    return (yield* exec(this.k.deleteFrom('rules_rule').where('id', '=', id))) > 0;
  }

  /** The rule, or `undefined`. */
  get(id: number): Promise<Rule | undefined> {
    return this.db.run(this.byId(id));
  }

  /** Rules in dispatch order (ordering, then id), optionally filtered. */
  async list(filter: RuleFilter = {}): Promise<Rule[]> {
    const rows = await this.db.run(all(this.k.selectFrom('rules_rule').selectAll().orderBy('ordering').orderBy('id')));
    return rows.map(toRule).filter(
      (r) =>
        (filter.active === undefined || r.active === filter.active) &&
        (filter.position === undefined || r.position === filter.position) &&
        (filter.handlerModule === undefined || r.handlerModule === filter.handlerModule) &&
        (filter.event === undefined || r.events.includes(filter.event)),
    );
  }

  /** Writes the event log's last entries and closes the database when this store opened it. */
  async close(): Promise<void> {
    await this.eventLog.flush();
    if (this.owned) await this.db.close();
  }

  /**
   * Runs a rule write in one transaction. The revision is bumped first: on PostgreSQL that row
   * lock queues concurrent writers, so the name check and the write cannot interleave.
   */
  private async write<T>(body: Work<T>): Promise<T> {
    const result = await this.db.transact(this.revised(body));
    this.writes++;
    return result;
  }

  private *revised<T>(body: Work<T>): Work<T> {
    yield* exec(this.k.updateTable('rules_meta').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1));
    const value = yield* body;
    yield* notify(RULES_TOPIC);
    return value;
  }

  private *byId(id: number): Work<Rule | undefined> {
    const row = yield* first(this.k.selectFrom('rules_rule').selectAll().where('id', '=', id));
    return row === undefined ? undefined : toRule(row);
  }

  private *mustGet(id: number): Work<Rule> {
    const rule = yield* this.byId(id);
    if (rule === undefined) throw new RuleNotFoundError(id);
    return rule;
  }

  private *assertUniqueName(name: string, exceptId: number | undefined): Work<void> {
    const row = yield* first(this.k.selectFrom('rules_rule').select('id').where('name', '=', name));
    const existing = row === undefined ? undefined : Number(row.id);
    if (existing !== undefined && existing !== exceptId) {
      throw new RuleValidationError([{ path: 'name', message: `a rule named "${name}" already exists (id ${existing})` }], name);
    }
  }
}

/** Duck-typed rather than `instanceof`, so a `SqlDatabase` from another copy of @plugboard/sql is recognised too. */
function isSqlDatabase(target: RuleStoreTarget): target is SqlDatabase {
  return typeof target === 'object' && 'dialect' in target && typeof (target as { transact?: unknown }).transact === 'function';
}
