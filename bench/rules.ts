/**
 * Rule-matching overhead (issue 5): 1,000 active rules over 100 events, 10 of them bound to the
 * dispatched event, each with conditions that hold and a no-op action. `RulesEngine.dispatch`
 * runs as a host would use it: conditions evaluated, every run recorded in the event log
 * (a file SQLite database in WAL mode). Also reported: the match alone and match + conditions.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ActionSpec, EventContext, HandlerOutcome } from '@plugboard/core';
import { BaseHandlerModule, HandlerModuleRegistry, RulesEngine, RuleStore } from '@plugboard/rules';
import { consume, timeAsync, timeSync, type Measurement } from './harness';
import { tempDir } from './io-harness';

export const RULES_SCENARIO = 'rules-1000-defined-10-matching';
export const RULES_DISPATCH = 'RulesEngine.dispatch (event log on)';

const RULES = 1000;
const EVENTS = 100; // RULES / EVENTS = 10 rules per event
const EVENT = 'AccountCreated';

class NoopHandler extends BaseHandlerModule {
  readonly identifier = 'Noop';
  readonly description = 'Does nothing (benchmark)';
  readonly actions: Readonly<Record<string, ActionSpec>> = {
    noop: { description: 'nothing', options: { note: { type: 'str', description: 'unused', default: 'x' } } },
  };
  do(): HandlerOutcome | void {
    return undefined;
  }
}

function eventName(i: number): string {
  return i === 0 ? EVENT : `Event${i}`;
}

/** Runs the rule-matching scenario: ns per dispatched event. */
export async function runRulesBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  const tmp = tempDir('rules');
  const db = new Database(join(tmp.dir, 'host.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const module = new NoopHandler();
  const registry = new HandlerModuleRegistry({ modules: [module] });
  const store = new RuleStore(db, { registry });
  // On SQLite a write runs before create() returns, so one outer transaction holds all of them.
  db.transaction(() => {
    for (let i = 0; i < RULES; i++) {
      void store.create({
        name: `rule ${i}`,
        events: [eventName(i % EVENTS)],
        handlerModule: 'Noop',
        action: 'noop',
        ordering: i % 7,
        options: {},
        conditions: {
          logged_in_user: 'admin',
          client_ip: '10.0.0.0/8,!10.0.0.5',
          payload_compare: 'account.quota > 1000',
          result_status: 'success',
        },
      });
    }
  })();
  const engine = new RulesEngine({ store, registry });
  const ctx: EventContext = {
    eventId: 'bench-event',
    event: EVENT,
    position: 'post',
    timestamp: new Date(),
    payload: { account: { email: 'bob@example.org', quota: 5000 } },
    loggedInUser: { username: 'root', role: 'admin' },
    request: { ip: '10.1.2.3' },
    result: { status: 'success' },
  };

  const out: Measurement[] = [];
  try {
    const first = await engine.dispatch(ctx);
    const ran = first.rules.filter((r) => r.status === 'ran').length;
    if (first.rules.length !== RULES / EVENTS || ran !== first.rules.length) {
      throw new Error(`expected ${RULES / EVENTS} rules to run, got ${first.rules.length} matching, ${ran} ran`);
    }
    log(`${RULES} rules, ${first.rules.length} matching ${EVENT}, all conditions hold`);

    const dispatchNs = await timeAsync(() => engine.dispatch(ctx), { batch: 200, samples: 5 });
    out.push({ scenario: RULES_SCENARIO, contender: RULES_DISPATCH, nsPerOp: dispatchNs, note: 'event log written in one batched transaction per event-loop turn (file DB, WAL)' });

    const matchNs = timeSync(() => engine.match(EVENT, 'post'), { batch: 100_000 });
    out.push({ scenario: RULES_SCENARIO, contender: 'match only', nsPerOp: matchNs, note: 'RulesEngine.match (copies the rule list)' });

    const rules = engine.match(EVENT, 'post');
    const perCondition: string[] = [];
    for (const [name, value] of Object.entries(rules[0].conditions)) {
      const single = { [name]: value };
      perCondition.push(`${name} ${timeSync(() => module.checkCondition(ctx, single), { batch: 20_000 }).toFixed(0)} ns`);
    }
    const conditionsNs = timeSync(() => {
      let held = 0;
      for (const rule of engine.match(EVENT, 'post')) if (module.checkCondition(ctx, rule.conditions) === true) held++;
      return held;
    }, { batch: 20_000 });
    out.push({ scenario: RULES_SCENARIO, contender: 'match + conditions', nsPerOp: conditionsNs, note: `4 standard conditions × ${rules.length} rules, no action, no log; one rule's conditions alone: ${perCondition.join(', ')}` });

    const quiet = new RulesEngine({ store, registry, logSkipped: false });
    const failing = { ...ctx, result: { status: 'failure' as const } };
    const skippedNs = await timeAsync(() => quiet.dispatch(failing), { batch: 2_000, samples: 5 });
    out.push({ scenario: RULES_SCENARIO, contender: 'dispatch, conditions fail, logSkipped: false', nsPerOp: skippedNs, note: 'no action, nothing written' });

    const logRow = db.prepare('SELECT COUNT(*) FROM rules_event_log').pluck();
    const insertNs = timeSync(() => store.eventLog.record({
      ruleId: 1, ruleName: 'rule 0', event: EVENT, eventId: 'bench-event', position: 'post', status: 'ok', durationMs: 0.01,
    }), { batch: 500, samples: 5 });
    out.push({ scenario: RULES_SCENARIO, contender: 'one EventLog.record', nsPerOp: insertNs, note: 'buffered, written in one transaction per 256 entries (the batch never yields to the event loop), for scale' });
    const batchNs = timeSync(() => {
      for (let i = 0; i < RULES / EVENTS; i++) {
        store.eventLog.record({ ruleId: 1, ruleName: 'rule 0', event: EVENT, eventId: 'bench-event', position: 'post', status: 'ok', durationMs: 0.01 });
      }
      void store.eventLog.flush(); // written before flush() returns on SQLite
    }, { batch: 200, samples: 5 });
    out.push({ scenario: RULES_SCENARIO, contender: `${RULES / EVENTS} EventLog.record + flush()`, nsPerOp: batchNs, note: 'the one commit that the log lines of a 10-rule dispatch cost, for scale' });
    consume(logRow.get());
  } finally {
    await store.eventLog.flush(); // the last batch is written after the event-loop turn; the database closes now
    db.close();
    tmp.remove();
  }
  return out;
}
