import type { HandlerModule } from '@plugboard/core';
import { BaseHandlerModule } from './base-handler-module';
import { RuleValidationError, type RuleIssue } from './errors';
import { HandlerModuleRegistry } from './handler-module-registry';
import { validateRule } from './validation';

class Notify extends BaseHandlerModule {
  readonly identifier = 'UserNotification';
  readonly description = 'notifies';
  readonly actions = {
    sendmail: {
      description: 'mail',
      options: {
        emailconfig: { type: 'str', required: true, description: 'The email is sent via this SMTP server configuration.' },
        subject: { type: 'str', description: 'Subject' },
        mimetype: { type: 'str', values: ['plain', 'html'], default: 'plain', description: 'type' },
        To: { type: 'multi', values: ['tokenowner', 'logged_in_user', 'admin realm', 'internal admin', 'email'], description: 'recipients' },
        retries: { type: 'int', description: 'retries' },
        html: { type: 'bool', description: 'html' },
        filter: { type: 'regexp', description: 'filter' },
      },
    },
    sendsms: { description: 'sms', options: { smsconfig: { type: 'str', required: true, description: 'SMS gateway' } } },
  } as const;
  do(): void {}
}

const plain: HandlerModule = {
  identifier: 'Plain',
  description: 'no base class',
  actions: { go: { description: 'go', options: {} } },
  conditions: { level: { type: 'int', description: 'level' } },
  checkCondition: () => true,
  do: () => undefined,
};

const registry = new HandlerModuleRegistry({ modules: [new Notify(), plain] });
const good = { name: 'mail admins', events: ['POST /api/domains'], handlerModule: 'UserNotification', action: 'sendmail', options: { emailconfig: 'smtp1' } };

function issuesOf(input: unknown): RuleIssue[] {
  try {
    validateRule(input, registry);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleValidationError);
    expect((e as RuleValidationError).code).toBe('PB_RULES_INVALID');
    return [...(e as RuleValidationError).issues];
  }
  throw new Error('expected the rule to be rejected');
}

describe('validateRule', () => {
  it('fills in defaults and normalises option values to their types', () => {
    const rule = validateRule(
      { ...good, options: { emailconfig: 'smtp1', To: 'tokenowner, email', retries: '3', html: 'true', subject: '' }, events: ['A', 'A', 'B'] },
      registry,
    );
    expect(rule).toEqual({
      name: 'mail admins',
      active: true,
      ordering: 0,
      position: 'post',
      events: ['A', 'B'],
      handlerModule: 'UserNotification',
      action: 'sendmail',
      options: { emailconfig: 'smtp1', To: ['tokenowner', 'email'], retries: 3, html: true },
      conditions: {},
      abortOnError: false,
    });
  });

  it('rejects an unknown handler module, naming the registered ones', () => {
    expect(issuesOf({ ...good, handlerModule: 'Nope' })).toEqual([
      { path: 'handlerModule', message: 'unknown handler module "Nope" (registered: Plain, UserNotification)' },
    ]);
  });

  it('rejects an unknown action, naming the module\'s actions', () => {
    expect(issuesOf({ ...good, action: 'sendfax' })).toEqual([
      { path: 'action', message: '"sendfax" is not an action of handler module "UserNotification" (its actions: sendmail, sendsms)' },
    ]);
  });

  it('rejects a missing required option (also when empty) with its description', () => {
    for (const options of [{}, { emailconfig: '' }, { emailconfig: null }]) {
      expect(issuesOf({ ...good, options })).toEqual([
        { path: 'options.emailconfig', message: 'is required (The email is sent via this SMTP server configuration.)' },
      ]);
    }
  });

  it('reports every wrong option type and value in one go', () => {
    const issues = issuesOf({
      ...good,
      options: { emailconfig: 5, mimetype: 'rtf', To: 'tokenowner,fax', retries: 'many', html: 'yes', filter: '([', bogus: 1 },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['options.To', 'options.bogus', 'options.emailconfig', 'options.filter', 'options.html', 'options.mimetype', 'options.retries'].sort(),
    );
    const by = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(by['options.emailconfig']).toBe('must be a string, got number 5');
    expect(by['options.mimetype']).toMatch(/"rtf" is not one of the allowed values "plain", "html"/);
    expect(by['options.To']).toMatch(/"fax" not among the allowed values/);
    expect(by['options.retries']).toMatch(/must be an integer/);
    expect(by['options.html']).toMatch(/must be a boolean/);
    expect(by['options.filter']).toMatch(/not a valid regular expression/);
    expect(by['options.bogus']).toMatch(/unknown option; action "sendmail" of "UserNotification" takes: emailconfig, subject/);
  });

  it('rejects unknown condition names and bad condition values', () => {
    const issues = issuesOf({
      ...good,
      conditions: { client_ip: '10.0.0.0/8,!10.0.0.300', payload_match: 'domain=([', result_status: 'maybe', weekday: 'mon' },
    });
    const by = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(Object.keys(by).sort()).toEqual(['conditions.client_ip', 'conditions.payload_match', 'conditions.result_status', 'conditions.weekday']);
    expect(by['conditions.client_ip']).toBe('"10.0.0.300" is not a valid IP address (e.g. 10.0.0.5 or ::1)');
    expect(by['conditions.payload_match']).toMatch(/field "domain": "\(\[" is not a valid regular expression/);
    expect(by['conditions.weekday']).toMatch(/unknown condition; handler module "UserNotification" understands: logged_in_user/);
  });

  it('checks conditions of modules without a validator against their declared types', () => {
    expect(issuesOf({ name: 'p', events: ['X'], handlerModule: 'Plain', action: 'go', conditions: { level: 'high' } })).toEqual([
      { path: 'conditions.level', message: 'must be an integer, got "high"' },
    ]);
    expect(validateRule({ name: 'p', events: ['X'], handlerModule: 'Plain', action: 'go', conditions: { level: '3' } }, registry).conditions).toEqual({
      level: 3,
    });
  });

  it('drops unset conditions and keeps set ones as given', () => {
    const rule = validateRule({ ...good, conditions: { client_ip: '', realm: 'a,b', payload_compare: [{ field: 'x', op: '>', value: 1 }] } }, registry);
    expect(rule.conditions).toEqual({ realm: 'a,b', payload_compare: [{ field: 'x', op: '>', value: 1 }] });
  });

  it('rejects bad rule fields with their paths, together with module problems', () => {
    const issues = issuesOf({
      name: '  ',
      events: [],
      position: 'middle',
      ordering: 1.5,
      active: 'yes',
      handlerModule: 'UserNotification',
      action: 'sendmail',
      options: {},
      colour: 'red',
    });
    const paths = issues.map((i) => i.path).sort();
    expect(paths).toEqual(['active', 'colour', 'events', 'name', 'options.emailconfig', 'ordering', 'position']);
    const by = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(by.events).toBe('must name at least one event (use "*" for every event)');
    expect(by.position).toBe('must be "pre" or "post"');
    expect(by.colour).toBe('is not a rule field');
    expect(issuesOf({ ...good, events: ['ok', ''] })).toEqual([{ path: 'events.1', message: 'must not be empty' }]);
  });

  it('rejects something that is not a rule at all', () => {
    expect(issuesOf(null)).toEqual([{ path: 'rule', message: 'must be an object describing a rule' }]);
    expect(issuesOf({ ...good, options: ['x'] })).toEqual([{ path: 'options', message: 'must be an object of option values keyed by name' }]);
  });

  it('puts every issue into the error message', () => {
    expect(() => validateRule({ ...good, action: 'sendsms', options: {} }, registry)).toThrow(
      'Rule "mail admins" is invalid: options.smsconfig: is required (SMS gateway). Fix these fields and save again; nothing was saved.',
    );
  });
});

describe('validateRule with the stored options of an edited rule', () => {
  // `values` list what exists now (e.g. SMTP configurations); a value saved when it existed stays editable.
  const configs: string[] = ['relay', 'backup'];
  const module: HandlerModule = {
    identifier: 'Mail',
    description: 'mail',
    actions: { send: { description: 'send', options: { emailconfig: { type: 'str', required: true, description: 'config', values: configs } } } },
    conditions: {},
    checkCondition: () => true,
    do: () => undefined,
  };
  const mails = new HandlerModuleRegistry({ modules: [module] });
  const rule = (emailconfig: string) => ({ name: 'm', events: ['AccountCreated'], handlerModule: 'Mail', action: 'send', options: { emailconfig } });

  it('accepts an unchanged value that is no longer among the allowed values', () => {
    expect(() => validateRule(rule('gone'), mails)).toThrow(RuleValidationError);
    expect(validateRule(rule('gone'), mails, { emailconfig: 'gone' }).options).toEqual({ emailconfig: 'gone' });
  });

  it('still refuses a changed value that is not allowed, and accepts one that is', () => {
    expect(() => validateRule(rule('nope'), mails, { emailconfig: 'gone' })).toThrow(/not one of the allowed values/);
    expect(validateRule(rule('backup'), mails, { emailconfig: 'gone' }).options).toEqual({ emailconfig: 'backup' });
  });
});

describe('an option required by another option’s value', () => {
  const recipients = new HandlerModuleRegistry({
    modules: [
      {
        identifier: 'Mail',
        description: 'mail',
        actions: {
          send: {
            description: 'send',
            options: {
              To: { type: 'str', values: ['owner', 'email'], description: 'recipient' },
              'To email': { type: 'str', description: 'addresses', requiredWhen: { option: 'To', value: 'email' } },
            },
          },
        },
        conditions: {},
        checkCondition: () => true,
        do: () => undefined,
      },
    ],
  });
  const rule = (options: Record<string, unknown>) => ({ name: 'r', events: ['E'], handlerModule: 'Mail', action: 'send', options });

  it('is required when the other option has that value', () => {
    expect(() => validateRule(rule({ To: 'email' }), recipients)).toThrow(/options\.To email: is required when To is "email"/);
  });

  it('is not required for another value', () => expect(validateRule(rule({ To: 'owner' }), recipients).options).toEqual({ To: 'owner' }));
});

describe('event names against the host’s catalogue', () => {
  const events = { hookEvents: () => ['AccountCreated'], apiEvents: () => ['POST /api/domains'] };
  it('refuses an unknown event with a suggestion', () => {
    expect(() => validateRule({ ...good, events: ['AccountCreatd'] }, registry, undefined, { events })).toThrow(/events\.0: unknown event "AccountCreatd".*did you mean AccountCreated\?/);
  });
  it('keeps an event the stored rule has', () => {
    expect(validateRule({ ...good, events: ['Gone'] }, registry, undefined, { events, storedEvents: ['Gone'] }).events).toEqual(['Gone']);
  });
});
