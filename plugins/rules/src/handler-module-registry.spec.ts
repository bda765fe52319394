import { HANDLER_MODULE, type EventContext, type HandlerModule } from '@plugboard/core';
import { Container, injectable } from 'inversify';
import { BaseHandlerModule } from './base-handler-module';
import { HandlerModuleError } from './errors';
import { HandlerModuleRegistry } from './handler-module-registry';
import { LoggerHandler } from './logger-handler';

@injectable()
class Mailer extends BaseHandlerModule {
  readonly identifier = 'Mailer';
  readonly description = 'Sends mail';
  readonly actions = {
    sendmail: {
      description: 'Send an email',
      options: {
        emailconfig: { type: 'str' as const, required: true, description: 'SMTP configuration' },
        mimetype: { type: 'str' as const, values: ['plain', 'html'], default: 'plain', description: 'Body type' },
      },
    },
  };
  do(): void {}
}

const plain: HandlerModule = {
  identifier: 'Plain',
  description: 'implements the interface directly',
  actions: {},
  conditions: { weekday: { type: 'multi', values: ['mon', 'tue'], description: 'day' } },
  checkCondition: (_ctx: EventContext) => true,
  do: () => undefined,
};

describe('HandlerModuleRegistry', () => {
  it('resolves modules bound in an inversify container under HANDLER_MODULE', () => {
    const container = new Container();
    container.bind(HANDLER_MODULE).to(Mailer).inSingletonScope();
    container.bind(HANDLER_MODULE).toConstantValue(plain);
    const registry = new HandlerModuleRegistry({ container });
    expect(registry.identifiers()).toEqual(['Mailer', 'Plain']);
    expect(registry.get('Mailer')).toBeInstanceOf(Mailer);
  });

  it('tolerates a container with no handler modules bound', () => {
    const registry = new HandlerModuleRegistry({ container: new Container() });
    expect(registry.list()).toEqual([]);
    expect(registry.get('Mailer')).toBeUndefined();
  });

  it('combines container modules with directly registered ones and picks up new bindings on reload', () => {
    const container = new Container();
    const registry = new HandlerModuleRegistry({ container, modules: [new LoggerHandler(() => undefined)] });
    expect(registry.identifiers()).toEqual(['Logger']);
    container.bind(HANDLER_MODULE).to(Mailer);
    const before = registry.revision;
    registry.reload();
    expect(registry.revision).toBeGreaterThan(before);
    expect(registry.identifiers()).toEqual(['Logger', 'Mailer']);
  });

  it('refuses a second module with the same identifier and unregisters with the returned function', () => {
    const registry = new HandlerModuleRegistry();
    const off = registry.register(plain);
    expect(() => registry.register({ ...plain })).toThrow(expect.objectContaining({ code: 'PB_RULES_DUPLICATE_MODULE' }));
    off();
    expect(registry.get('Plain')).toBeUndefined();
  });

  it('require() names the missing module and the known ones', () => {
    const registry = new HandlerModuleRegistry({ modules: [plain] });
    expect(() => registry.require('Nope')).toThrow(HandlerModuleError);
    expect(() => registry.require('Nope')).toThrow(/No handler module "Nope" is registered \(known: Plain\)/);
  });

  it('lists modules with actions, option schemas and conditions for form builders', () => {
    const registry = new HandlerModuleRegistry({ modules: [new Mailer(), plain] });
    const [mailer, p] = registry.list();
    expect(mailer.identifier).toBe('Mailer');
    expect(mailer.actions).toEqual([
      {
        name: 'sendmail',
        description: 'Send an email',
        options: [
          { name: 'emailconfig', type: 'str', description: 'SMTP configuration', required: true },
          { name: 'mimetype', type: 'str', description: 'Body type', required: false, values: ['plain', 'html'], default: 'plain' },
        ],
      },
    ]);
    expect(mailer.conditions.map((c) => c.name)).toContain('client_ip');
    expect(mailer.conditions.find((c) => c.name === 'result_status')).toMatchObject({ type: 'str', values: ['success', 'failure'] });
    expect(p.conditions).toEqual([{ name: 'weekday', type: 'multi', values: ['mon', 'tue'], description: 'day', required: false }]);
    expect(JSON.parse(JSON.stringify(registry.list()))).toEqual(registry.list());
  });
});
