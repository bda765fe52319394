import { HandlerModuleRegistry, RuleStore, RulesEngine } from '@plugboard/rules';
import { messagesByMeta } from '@plugboard/outbox';
import { NOTIFY_TYPE } from '@plugboard/notify';
import { NotifyFixture, eventContext } from './helpers/fixture';

let fx: NotifyFixture;
let rules: RuleStore;
let engine: RulesEngine;

beforeEach(async () => {
  fx = await new NotifyFixture().start();
  const registry = new HandlerModuleRegistry({ modules: [fx.module] });
  rules = new RuleStore(fx.db, { registry });
  engine = new RulesEngine({ store: rules, registry, logger: { error: () => undefined } });
});

afterEach(async () => {
  await fx.stop();
});

const sendmail = { emailconfig: 'local', To: NOTIFY_TYPE.TOKENOWNER, subject: 'Welcome' };

describe('the rules log of a sendmail rule and the mail it queued', () => {
  test('logs queued with how many mails, not ok, and the delivered mail is found from the rule', async () => {
    const rule = await rules.create({ name: 'welcome', events: ['token_init'], handlerModule: 'UserNotification', action: 'sendmail', options: sendmail });
    const event = eventContext();
    await engine.dispatch(event);

    expect(await rules.eventLog.query({ ruleId: rule.id })).toEqual([
      expect.objectContaining({ status: 'queued', detail: 'queued 1 mail(s) to alice@users.test' }),
    ]);
    await fx.outbox.drain();
    expect(fx.sink.received.map((m) => m.rcptTo)).toEqual([['alice@users.test']]);
    expect(messagesByMeta(fx.outbox, 'ruleId', String(rule.id))).toEqual([
      expect.objectContaining({ state: 'delivered', meta: expect.objectContaining({ rule: 'welcome', eventId: event.eventId }) }),
    ]);
  });

  test('a mail the SMTP server refuses ends as a dead letter that names the rule and the event', async () => {
    const rule = await rules.create({ name: 'welcome', events: ['token_init'], handlerModule: 'UserNotification', action: 'sendmail', options: sendmail });
    fx.sink.script = [{ code: 550, text: 'mailbox unavailable' }];
    const event = eventContext();
    await engine.dispatch(event);
    await fx.outbox.drain();

    const dead = messagesByMeta(fx.outbox, 'ruleId', String(rule.id));
    expect(dead).toEqual([expect.objectContaining({ state: 'dead', meta: expect.objectContaining({ ruleId: String(rule.id), rule: 'welcome', eventId: event.eventId }) })]);
    expect(fx.sink.received).toHaveLength(0);
  });
});
