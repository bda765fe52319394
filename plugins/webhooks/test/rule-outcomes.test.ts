import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { EventContext } from '@plugboard/core';
import { messagesByMeta, Outbox } from '@plugboard/outbox';
import { HandlerModuleRegistry, RuleStore, RulesEngine } from '@plugboard/rules';
import { WebHookHandler, Webhooks } from '@plugboard/webhooks';
import { startReceiver, tempDir, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function ctx(event: string): EventContext {
  return { eventId: randomUUID(), event, position: 'post', timestamp: new Date(), payload: { email: 'a@example.org' } };
}

describe('the rules log of a WebHook/post rule says what happened to the webhook', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let receiver: Receiver;
  let outbox: Outbox;
  let webhooks: Webhooks;
  let rules: RuleStore;
  let engine: RulesEngine;

  beforeEach(async () => {
    tmp = tempDir();
    db = new Database(tmp.file('app.db'));
    // The receiver accepts /ok and refuses everything else with 400, a dead letter at once.
    receiver = await startReceiver((_n, req) => ({ status: req.url === '/ok' ? 200 : 400 }));
    outbox = new Outbox({ database: db, logger: quiet });
    webhooks = new Webhooks({ outbox, database: db, guard: { allow: ['127.0.0.1'] } });
    const registry = new HandlerModuleRegistry({ modules: [new WebHookHandler(webhooks)] });
    rules = new RuleStore(db, { registry });
    engine = new RulesEngine({ store: rules, registry, logger: { error: () => {} } });
  });
  afterEach(async () => {
    await outbox.close();
    await webhooks.close();
    await receiver.close();
    db.close();
    tmp.cleanup();
  });

  it('logs skipped with the reason, not ok, when the endpoint is not subscribed to the event', async () => {
    await webhooks.store.create({ name: 'crm', url: `${receiver.url}/ok`, events: ['DomainCreated'] });
    const rule = await rules.create({ name: 'to crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } });
    const summary = await engine.dispatch(ctx('AccountCreated'));

    expect(summary.rules[0]).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/not subscribed to AccountCreated/) });
    expect(await rules.eventLog.query({ ruleId: rule.id })).toEqual([
      expect.objectContaining({ status: 'skipped', detail: 'not sent: endpoint "crm" is not subscribed to AccountCreated' }),
    ]);
    expect(outbox.list()).toHaveLength(0);
  });

  it('logs queued for a webhook handed to the outbox, and its delivery is found from the rule once delivered', async () => {
    await webhooks.store.create({ name: 'crm', url: `${receiver.url}/ok` });
    const rule = await rules.create({ name: 'to crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } });
    const event = ctx('AccountCreated');
    await engine.dispatch(event);

    expect(await rules.eventLog.query({ ruleId: rule.id })).toEqual([expect.objectContaining({ status: 'queued', detail: 'queued 1 webhook to endpoint "crm"' })]);
    await outbox.drain();
    expect(messagesByMeta(outbox, 'ruleId', String(rule.id))).toEqual([
      expect.objectContaining({ state: 'delivered', meta: expect.objectContaining({ ruleId: String(rule.id), rule: 'to crm', eventId: event.eventId }) }),
    ]);
  });

  it('a dead letter names the rule, its id and the event id that queued it', async () => {
    await webhooks.store.create({ name: 'gone', url: `${receiver.url}/refuses` });
    const rule = await rules.create({ name: 'to gone', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'gone' } });
    const event = ctx('AccountCreated');
    await engine.dispatch(event);
    await outbox.drain();

    const [dead] = outbox.list({ state: 'dead' });
    expect(dead?.meta).toEqual(expect.objectContaining({ ruleId: String(rule.id), rule: 'to gone', eventId: event.eventId, event: 'AccountCreated' }));
    expect(messagesByMeta(outbox, 'ruleId', String(rule.id)).map((m) => m.state)).toEqual(['dead']);
  });
});
