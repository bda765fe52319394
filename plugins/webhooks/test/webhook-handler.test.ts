import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { EventContext } from '@plugboard/core';
import { Outbox } from '@plugboard/outbox';
import { HandlerModuleRegistry, RuleStore, RulesEngine } from '@plugboard/rules';
import { Webhook } from 'standardwebhooks';
import { DockerHubWebHook, MattermostWebHook, WebHookHandler, Webhooks } from '@plugboard/webhooks';
import { startReceiver, tempDir, type Receiver } from './helpers';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function ctx(event: string, payload: Record<string, unknown>, extra: Partial<EventContext> = {}): EventContext {
  return { eventId: randomUUID(), event, position: 'post', timestamp: new Date('2024-05-01T10:00:00Z'), payload, ...extra };
}

describe('WebHook handler module in the rules engine', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let receiver: Receiver;
  let outbox: Outbox;
  let webhooks: Webhooks;
  let handler: WebHookHandler;
  let rules: RuleStore;
  let engine: RulesEngine;

  beforeEach(async () => {
    tmp = tempDir();
    db = new Database(tmp.file('app.db'));
    receiver = await startReceiver(() => ({ status: 200 }));
    outbox = new Outbox({ database: db, logger: quiet });
    webhooks = new Webhooks({ outbox, database: db, guard: { allow: ['127.0.0.1'] } });
    handler = new WebHookHandler(webhooks);
    const registry = new HandlerModuleRegistry({ modules: [handler] });
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

  it('declares identifier WebHook with actions post, mattermost and dockerhub, and the standard conditions', () => {
    expect(handler.identifier).toBe('WebHook');
    expect(Object.keys(handler.actions)).toEqual(['post', 'mattermost', 'dockerhub']);
    expect(handler.actions.post!.options.endpoint).toMatchObject({ required: true });
    expect(Object.keys(handler.conditions)).toContain('realm');
  });

  it('refuses to save a post rule without the required endpoint option', async () => {
    await expect(rules.create({ name: 'r', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post' })).rejects.toThrow(/endpoint/);
  });

  it('post: queues a signed envelope with the event, payload and user, once per event id', async () => {
    const { generatedSecret } = await webhooks.store.create({ name: 'crm', url: `${receiver.url}/in` });
    await rules.create({ name: 'to crm', events: ['AccountCreated'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'crm' } });
    const event = ctx('AccountCreated', { email: 'a@example.org' }, { user: { username: 'alice', realm: 'example.org' } });
    const summary = await engine.dispatch(event);
    expect(summary.rules[0]).toMatchObject({ status: 'ran', queued: [expect.any(String)] });
    await engine.dispatch(event);
    await outbox.drain();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    const body = new Webhook(generatedSecret!).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    });
    expect(body).toEqual({
      type: 'AccountCreated',
      id: summary.rules[0]!.queued![0],
      timestamp: '2024-05-01T10:00:00.000Z',
      data: { event: 'AccountCreated', eventId: event.eventId, position: 'post', payload: { email: 'a@example.org' }, user: { username: 'alice', realm: 'example.org' } },
    });
  });

  it('post: deduplicates per (event, rule, endpoint), so two rules sending one event to one endpoint both deliver', async () => {
    await webhooks.store.create({ name: 'twice', url: `${receiver.url}/twice` });
    await rules.create({ name: 'first', events: ['Twice'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'twice' } });
    await rules.create({ name: 'second', events: ['Twice'], handlerModule: 'WebHook', action: 'post', options: { endpoint: 'twice' } });
    const event = ctx('Twice', {});
    await engine.dispatch(event);
    await engine.dispatch(event);
    await outbox.drain();
    expect(receiver.requests.filter((r) => r.url === '/twice')).toHaveLength(2);
  });

  it('post: reports an endpoint whose realms do not admit the call instead of sending', async () => {
    await webhooks.store.create({ name: 'tags', url: receiver.url, realms: ['github_tags'] });
    const outcome = await handler.do('post', ctx('X', {}, { realm: 'github_commits' }), { endpoint: 'tags' });
    expect(outcome).toEqual({ detail: expect.stringMatching(/not sent: .*realms github_tags/), skipped: expect.stringMatching(/not sent: .*realms github_tags/) });
    expect(outbox.list()).toHaveLength(0);
  });

  it('mattermost: renders {tag} placeholders and fires the registered trigger in the call realm only', async () => {
    webhooks.register(new MattermostWebHook({ name: 'chat', host: receiver.url, token: 'tok', realms: ['github_tags'] }));
    await rules.create({
      name: 'chat',
      events: ['TagFound'],
      handlerModule: 'WebHook',
      action: 'mattermost',
      options: { trigger: 'chat', text: 'Found new tag {tag} for repo {repo}.' },
    });
    await engine.dispatch(ctx('TagFound', { tag: 'v1', repo: 'x/y' }, { realm: 'github_commits' }));
    const summary = await engine.dispatch(ctx('TagFound', { tag: 'v2', repo: 'x/y' }, { realm: 'github_tags' }));
    await outbox.drain();
    expect(summary.rules[0]).toMatchObject({ status: 'ran', queued: [expect.any(String)] });
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([{ text: 'Found new tag v2 for repo x/y.' }]);
  });

  it('mattermost: an unknown tag or an unregistered trigger fails the rule with a clear message', async () => {
    webhooks.register(new MattermostWebHook({ name: 'chat', host: receiver.url, token: 'tok' }));
    await expect(handler.do('mattermost', ctx('E', {}), { trigger: 'chat', text: 'Hi {nobody}' })).rejects.toThrow(/Unknown tag\(s\) \{nobody\}/);
    await expect(handler.do('mattermost', ctx('E', {}), { trigger: 'nope' })).rejects.toMatchObject({ code: 'PB_WEBHOOK_TRIGGER_UNKNOWN' });
    await expect(handler.do('dockerhub', ctx('E', {}), { trigger: 'chat' })).rejects.toMatchObject({ code: 'PB_WEBHOOK_TRIGGER_UNKNOWN' });
    await expect(handler.do('nope', ctx('E', {}), {})).rejects.toMatchObject({ code: 'PB_WEBHOOK_UNKNOWN_ACTION' });
  });

  it('dockerhub: triggers the build of the payload branch, and sends nothing without one', async () => {
    webhooks.register(new DockerHubWebHook({ name: 'hub', source: 'src-1', token: 'tok', baseUrl: receiver.url }));
    expect(await handler.do('dockerhub', ctx('CommitFound', { branch: 'master' }), { trigger: 'hub' })).toMatchObject({ queued: [expect.any(String)] });
    expect(await handler.do('dockerhub', ctx('TagFound', { tag: 'v1' }), { trigger: 'hub', source_type: 'Tag' })).toMatchObject({ queued: [expect.any(String)] });
    expect(await handler.do('dockerhub', ctx('CommitFound', {}), { trigger: 'hub' })).toEqual({ detail: 'trigger "hub" did not fire (empty)' });
    await outbox.drain();
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([
      { source_type: 'Branch', source_name: 'master' },
      { source_type: 'Tag', source_name: 'v1' },
    ]);
  });
});
