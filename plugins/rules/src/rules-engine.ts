import type { EventContext, HandlerModule, HandlerOutcome } from '@plugboard/core';
import type { DispatchSummary, RuleRunListener, RuleRunStatus, RuleRunSummary } from './dispatch-summary';
import { logOutcome } from './log-status';
import { HandlerModuleError, RuleAbortError, RuleActionError } from './errors';
import type { HandlerModuleRegistry } from './handler-module-registry';
import type { Rule, RulePosition } from './rule';
import type { RuleStore } from './rule-store';
import { traceAction, traceRule, type RuleEvaluation } from './rule-tracing';
import { RunListeners } from './run-listeners';
import { RuleCache } from './rule-cache';
import { RuleIndex, type IndexedRule } from './rule-index';

/** Where the engine reports failing rules; pino's `logger.error(obj, msg)` fits. */
export interface RulesLogger {
  error(details: Record<string, unknown>, message: string): void;
  /** Where a rule's deliberate refusal (a pre rule aborting its event) goes; `error` when absent. */
  warn?(details: Record<string, unknown>, message: string): void;
}

/** Options of a {@link RulesEngine}. */
export interface RulesEngineOptions {
  readonly store: RuleStore;
  readonly registry: HandlerModuleRegistry;
  /** Receives every failing rule. Default: `console.error`. */
  readonly logger?: RulesLogger;
  /** Record rules whose conditions did not hold as `skipped` in the event log (default true). */
  readonly logSkipped?: boolean;
  /**
   * SQLite: how often (ms) to look in the database for rule changes made by other connections or
   * processes, e.g. a CLI (default 1000; 0 = on every dispatch). Writes through this engine's
   * own store are seen immediately. PostgreSQL needs no polling: every rule write notifies the
   * `rules` topic and the engines of every process reload within milliseconds.
   */
  readonly externalCheckMs?: number;
}

const consoleLogger: RulesLogger = { error: (details, message) => console.error(message, details) };

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs the active rules bound to an event (privacyIDEA event handlers): conditions first, then
 * the action. Rules are indexed in memory by event and re-read when the store changes (also
 * when another process, such as a CLI or another host on the same PostgreSQL, changed it).
 *
 * Failure handling: a failing rule is logged, recorded in the event log and the next rule runs —
 * unless the rule has `abortOnError` (dispatch throws {@link RuleActionError}) or the handler
 * module threw {@link RuleAbortError} (dispatch re-throws it, naming the rule). For `pre` events
 * the host must treat either error as "do not do the work".
 *
 * @example
 * ```ts
 * const engine = new RulesEngine({ store, registry });
 * const summary = await engine.dispatch({ eventId: newEventId(), event: 'AccountCreated', position: 'post',
 *   timestamp: new Date(), payload: { username: 'bob' } });
 * summary.rules; // [{ ruleName: 'log accounts', status: 'ran', durationMs: 0.2 }]
 * ```
 */
export class RulesEngine {
  private readonly store: RuleStore;
  private readonly registry: HandlerModuleRegistry;
  private readonly logger: RulesLogger;
  private readonly logSkipped: boolean;
  private readonly rules: RuleCache;

  private readonly runListeners = new RunListeners();

  constructor(options: RulesEngineOptions) {
    this.store = options.store;
    this.registry = options.registry;
    this.logger = options.logger ?? consoleLogger;
    this.logSkipped = options.logSkipped ?? true;
    this.rules = new RuleCache(options.store, options.registry, options.externalCheckMs ?? 1000);
  }

  /**
   * Calls `listener` after every rule run (a throwing listener is logged, never fails the event). Returns the undo.
   * @example `engine.onRun((run) => actions.inc({ module: run.handlerModule, outcome: run.status }))`
   */
  onRun(listener: RuleRunListener): () => void {
    return this.runListeners.add(listener);
  }

  /** Forces the rule index to be rebuilt on the next dispatch. */
  invalidate(): void {
    this.rules.invalidate();
  }

  /**
   * Reloads the rules now (dispatch does when they changed); resolves once the index is fresh.
   * @example `await engine.reload(); engine.match('AccountCreated', 'post');`
   */
  async reload(): Promise<void> {
    this.rules.invalidate();
    await this.rules.current();
  }

  /**
   * The active rules that would run for `event` at `position`, in order. On SQLite the index is
   * brought up to date first; on PostgreSQL it is the one last loaded (`await engine.reload()`).
   */
  match(event: string, position: RulePosition): Rule[] {
    const current = this.rules.current();
    const index = current instanceof RuleIndex ? current : (current.catch(() => undefined), this.rules.last());
    return index.match(event, position).map((e) => e.rule);
  }

  /**
   * Stops listening for rule changes (the database stays open).
   * @example `await engine.close(); await store.close();`
   */
  close(): Promise<void> {
    return this.rules.close();
  }

  /**
   * Runs the matching rules for one event occurrence, in ascending ordering (ties by id).
   *
   * @returns one entry per matching rule: `ran`, `skipped` (conditions did not hold) or `failed`.
   * @throws RuleAbortError when a handler module aborted the event (`PB_RULES_ABORTED`).
   * @throws RuleActionError when a rule with `abortOnError` failed (`PB_RULES_ACTION_FAILED`).
   */
  async dispatch(ctx: EventContext): Promise<DispatchSummary> {
    const started = performance.now();
    const current = this.rules.current();
    const entries = (current instanceof RuleIndex ? current : await current).match(ctx.event, ctx.position);
    const runs: RuleRunSummary[] = [];
    const summary = (): DispatchSummary => ({
      event: ctx.event,
      eventId: ctx.eventId,
      position: ctx.position,
      rules: runs,
      durationMs: performance.now() - started,
    });
    for (const entry of entries) {
      const t0 = performance.now();
      const { status, outcome, failure } = await traceRule(entry.rule, ctx.event, () => this.evaluate(entry, ctx));
      const run = this.finish(entry, ctx, status, performance.now() - t0, outcome, failure);
      runs.push(run);
      this.runListeners.notify(run, ctx, (e) => this.logger.error({ rule: run.ruleName, event: ctx.event, err: e }, `A rule run listener failed: ${messageOf(e)}`));
      if (status !== 'failed') continue;
      if (failure instanceof RuleAbortError) {
        throw new RuleAbortError(failure.reason, { rule: entry.ref, event: ctx.event, cause: failure, summary: summary() });
      }
      if (entry.rule.abortOnError) throw new RuleActionError(entry.ref, ctx.event, failure, summary());
    }
    return summary();
  }

  /** Checks one rule's conditions and, when they hold, runs its action. */
  private async evaluate(entry: IndexedRule, ctx: EventContext): Promise<RuleEvaluation<HandlerOutcome | void>> {
    try {
      const module = this.moduleFor(entry.rule);
      // The action sees which rule it runs for: its dedupe keys are (event id, rule, destination).
      const ruleCtx: EventContext = { ...ctx, rule: { id: entry.rule.id, name: entry.rule.name } };
      let held = module.checkCondition(ruleCtx, entry.rule.conditions);
      if (isThenable(held)) held = await held;
      if (!held) return { status: 'skipped' };
      return { status: 'ran', outcome: await traceAction(entry.rule, () => module.do(entry.rule.action, ruleCtx, entry.options)) };
    } catch (failure) {
      return { status: 'failed', failure };
    }
  }

  private moduleFor(rule: Rule): HandlerModule {
    const module = this.registry.get(rule.handlerModule);
    if (module === undefined) {
      throw new HandlerModuleError(
        'PB_RULES_UNKNOWN_MODULE',
        rule.handlerModule,
        `Rule "${rule.name}" uses handler module "${rule.handlerModule}", which is not registered; register it or delete the rule.`,
      );
    }
    return module;
  }

  private finish(
    entry: IndexedRule,
    ctx: EventContext,
    status: RuleRunStatus,
    durationMs: number,
    outcome: HandlerOutcome | void,
    failure: unknown,
  ): RuleRunSummary {
    const { rule } = entry;
    const run: { -readonly [K in keyof RuleRunSummary]: RuleRunSummary[K] } = {
      ruleId: rule.id,
      ruleName: rule.name,
      handlerModule: rule.handlerModule,
      action: rule.action,
      status,
      durationMs,
    };
    if (status === 'failed') {
      const aborted = failure instanceof RuleAbortError;
      run.error = aborted ? failure.reason : messageOf(failure);
      const details = { rule: rule.name, ruleId: rule.id, event: ctx.event, eventId: ctx.eventId, position: ctx.position };
      const message = `Rule "${rule.name}" (${rule.handlerModule}.${rule.action}) ${aborted ? 'aborted' : 'failed on'} event "${ctx.event}": ${run.error}`;
      // A refusal is the rule doing its job: a warning with its reason, no stack. A failure keeps the error.
      if (aborted && this.logger.warn) this.logger.warn({ ...details, reason: run.error }, message);
      else this.logger.error({ ...details, err: failure }, message);
    }
    if (outcome) {
      if (outcome.detail !== undefined) run.detail = outcome.detail;
      if (outcome.queued !== undefined) run.queued = outcome.queued;
    }
    // `logSkipped` is about rules whose conditions did not hold; an action's own skip is always logged.
    if (status === 'skipped' && !this.logSkipped) return run;
    const logged = logOutcome(status, outcome, run.detail);
    if (logged.status === 'skipped' && status === 'ran') {
      run.status = 'skipped';
      run.detail = logged.detail;
    }
    try {
      this.store.eventLog.record({
        ruleId: rule.id,
        ruleName: rule.name,
        event: ctx.event,
        eventId: ctx.eventId,
        position: ctx.position,
        status: logged.status,
        error: run.error,
        detail: logged.detail,
        durationMs,
      });
    } catch (e) {
      // The action already happened; a full disk must not turn it into a failed event.
      this.logger.error({ rule: rule.name, event: ctx.event, eventId: ctx.eventId, err: e }, `Could not write the rules event log: ${messageOf(e)}`);
    }
    return run;
  }
}
