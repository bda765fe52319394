import 'reflect-metadata';
import Database from 'better-sqlite3';
import { Container, inject, injectable } from 'inversify';
import { defineHooks, HANDLER_MODULE, HookBus, notifyAsync, type EventContext, type OptionValues } from '@plugboard/core';
import { BaseHandlerModule, bindHookBus, HandlerModuleRegistry, LoggerHandler, RulesEngine, RuleStore, type LogLine } from '@plugboard/rules';

describe('README example', () => {
  it('logs big mailboxes created from the LAN and records it in the event log', async () => {
    const lines: LogLine[] = [];
    const db = new Database(':memory:');

    // --- README: 30-second example ---
    const container = new Container();
    container.bind(HANDLER_MODULE).toConstantValue(new LoggerHandler((line) => lines.push(line)));
    const registry = new HandlerModuleRegistry({ container });
    const store = new RuleStore(db, { registry });
    const engine = new RulesEngine({ store, registry });

    await store.create({
      name: 'log big mailboxes',
      events: ['AccountCreated'],
      handlerModule: 'Logger',
      action: 'log',
      options: { message: '{admin} created {account.email} with quota {account.quota}' },
      conditions: { payload_compare: 'account.quota > 1000', client_ip: '10.0.0.0/8,!10.0.0.5' },
    });

    const hooks = defineHooks({ AccountCreated: notifyAsync<[account: { email: string; quota: number }]>() });
    const bus = new HookBus(hooks);
    bindHookBus(bus, engine, {
      map: (_hook, [account]) => ({ payload: { account }, loggedInUser: { username: 'root', role: 'admin' }, request: { ip: '10.1.2.3' } }),
    });

    await bus.call('AccountCreated', { email: 'bob@example.org', quota: 5000 });
    const log = await store.eventLog.query({ event: 'AccountCreated' });
    // --- end ---

    expect(lines.map((l) => l.message)).toEqual(['root created bob@example.org with quota 5000']);
    expect(log).toEqual([expect.objectContaining({ ruleName: 'log big mailboxes', status: 'ok', position: 'post' })]);
    db.close();
  });

  it('lets a handler module bound in the container inject host services', async () => {
    const AUDIT = Symbol('audit');
    @injectable()
    class AuditTrail extends BaseHandlerModule {
      readonly identifier = 'AuditTrail';
      readonly description = 'Appends to the host audit trail';
      readonly actions = { append: { description: 'append a line', options: { text: { type: 'str' as const, required: true, description: 'line' } } } };
      constructor(@inject(AUDIT) private readonly trail: string[]) {
        super();
      }
      do(_action: string, ctx: EventContext, options: OptionValues): void {
        this.trail.push(`${ctx.event}: ${String(options.text)}`);
      }
    }
    const trail: string[] = [];
    const container = new Container();
    container.bind(AUDIT).toConstantValue(trail);
    container.bind(HANDLER_MODULE).to(AuditTrail).inSingletonScope();
    const db = new Database(':memory:');
    const registry = new HandlerModuleRegistry({ container });
    const store = new RuleStore(db, { registry });
    await store.create({ name: 'audit', events: ['*'], handlerModule: 'AuditTrail', action: 'append', options: { text: 'seen' } });
    await new RulesEngine({ store, registry }).dispatch({ eventId: '1', event: 'DomainCreated', position: 'post', timestamp: new Date(), payload: {} });
    expect(trail).toEqual(['DomainCreated: seen']);
    expect(await store.eventLog.count({ event: 'DomainCreated', status: 'ok' })).toBe(1);
    db.close();
  });
});
