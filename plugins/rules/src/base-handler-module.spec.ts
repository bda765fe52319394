import type { ConditionSpec, EventContext, OptionValues } from '@plugboard/core';
import { BaseHandlerModule } from './base-handler-module';
import { STANDARD_CONDITIONS } from './standard-conditions';

class Probe extends BaseHandlerModule {
  readonly identifier = 'Probe';
  readonly description = 'test module';
  readonly actions = { noop: { description: 'nothing', options: {} } };
  protected override readonly customConditions: Readonly<Record<string, ConditionSpec>> = {
    serial_prefix: { type: 'str', description: 'serial starts with' },
    slow_check: { type: 'bool', description: 'async condition' },
  };
  do(_action: string, _ctx: EventContext, _options: OptionValues): void {}
  protected override checkCustomCondition(name: string, value: unknown, ctx: EventContext): boolean | Promise<boolean> {
    if (name === 'serial_prefix') return String(ctx.payload.serial ?? '').startsWith(String(value));
    if (name === 'slow_check') return Promise.resolve(value === true && ctx.payload.slow === true);
    return false;
  }
}

const m = new Probe();

function ctx(over: Partial<EventContext> = {}): EventContext {
  return { eventId: 'e1', event: 'AccountCreated', position: 'post', timestamp: new Date(), payload: {}, ...over };
}

async function holds(conditions: Record<string, unknown>, c: EventContext): Promise<boolean> {
  return m.checkCondition(c, conditions);
}

describe('BaseHandlerModule conditions', () => {
  it('offers the standard conditions plus its own', () => {
    expect(Object.keys(m.conditions)).toEqual([...Object.keys(STANDARD_CONDITIONS), 'serial_prefix', 'slow_check']);
  });

  it('holds with no conditions and ignores unset ones (undefined, null, empty string, empty list)', async () => {
    expect(await holds({}, ctx())).toBe(true);
    expect(await holds({ logged_in_user: '', realm: null, client_ip: undefined, payload_compare: [] }, ctx())).toBe(true);
  });

  describe('logged_in_user', () => {
    const admin = ctx({ loggedInUser: { username: 'root', role: 'admin', realm: 'Main' } });
    it('matches the role, case-insensitively, from a comma-separated list', async () => {
      expect(await holds({ logged_in_user: 'admin' }, admin)).toBe(true);
      expect(await holds({ logged_in_user: 'user, ADMIN' }, admin)).toBe(true);
      expect(await holds({ logged_in_user: ['helpdesk', 'admin'] }, admin)).toBe(true);
      expect(await holds({ logged_in_user: 'user' }, admin)).toBe(false);
    });
    it('does not hold without a logged-in user or without a role', async () => {
      expect(await holds({ logged_in_user: 'admin' }, ctx())).toBe(false);
      expect(await holds({ logged_in_user: 'admin' }, ctx({ loggedInUser: { username: 'x' } }))).toBe(false);
    });
  });

  describe('logged_in_user_realm and realm', () => {
    const c = ctx({ loggedInUser: { username: 'root', realm: 'AdminRealm' }, user: { username: 'bob', realm: 'customers' } });
    it('logged_in_user_realm looks at the logged-in user, realm at the user the event is about', async () => {
      expect(await holds({ logged_in_user_realm: 'adminrealm' }, c)).toBe(true);
      expect(await holds({ logged_in_user_realm: 'customers' }, c)).toBe(false);
      expect(await holds({ realm: 'customers,other' }, c)).toBe(true);
      expect(await holds({ realm: 'adminrealm' }, c)).toBe(false);
    });
    it('does not hold when the user or realm is missing', async () => {
      expect(await holds({ realm: 'customers' }, ctx())).toBe(false);
      expect(await holds({ realm: 'customers' }, ctx({ user: { username: 'bob' } }))).toBe(false);
      expect(await holds({ logged_in_user_realm: 'x' }, ctx())).toBe(false);
    });
  });

  describe('result_status', () => {
    it('compares with the result status and does not hold without a result (pre events)', async () => {
      expect(await holds({ result_status: 'success' }, ctx({ result: { status: 'success' } }))).toBe(true);
      expect(await holds({ result_status: 'failure' }, ctx({ result: { status: 'success' } }))).toBe(false);
      expect(await holds({ result_status: 'failure' }, ctx({ result: { status: 'failure', error: 'boom' } }))).toBe(true);
      expect(await holds({ result_status: 'success' }, ctx({ position: 'pre' }))).toBe(false);
    });
  });

  describe('result_value', () => {
    it('compares with == by default, across string/number/boolean spellings', async () => {
      expect(await holds({ result_value: 'true' }, ctx({ result: { status: 'success', value: true } }))).toBe(true);
      expect(await holds({ result_value: true }, ctx({ result: { status: 'success', value: true } }))).toBe(true);
      expect(await holds({ result_value: 'false' }, ctx({ result: { status: 'success', value: true } }))).toBe(false);
      expect(await holds({ result_value: '5' }, ctx({ result: { status: 'success', value: 5 } }))).toBe(true);
      expect(await holds({ result_value: 'ok' }, ctx({ result: { status: 'success', value: 'ok' } }))).toBe(true);
    });
    it('supports operators', async () => {
      const five = ctx({ result: { status: 'success', value: 5 } });
      expect(await holds({ result_value: '>3' }, five)).toBe(true);
      expect(await holds({ result_value: '< 3' }, five)).toBe(false);
      expect(await holds({ result_value: '!=4' }, five)).toBe(true);
      expect(await holds({ result_value: 'in 1,5,9' }, five)).toBe(true);
      expect(await holds({ result_value: 'matches ^5$' }, five)).toBe(true);
      expect(await holds({ result_value: 'contains b' }, ctx({ result: { status: 'success', value: ['a', 'b'] } }))).toBe(true);
    });
    it('does not hold without a result or a result value', async () => {
      expect(await holds({ result_value: 'true' }, ctx())).toBe(false);
      expect(await holds({ result_value: '!=x' }, ctx({ result: { status: 'success' } }))).toBe(false);
    });
  });

  describe('client_ip', () => {
    const from = (ip: string | undefined) => ctx({ request: ip === undefined ? {} : { ip } });
    it('matches addresses in included ranges minus exclusions', async () => {
      const cond = { client_ip: '10.0.0.0/8,!10.0.0.5' };
      expect(await holds(cond, from('10.1.2.3'))).toBe(true);
      expect(await holds(cond, from('10.0.0.5'))).toBe(false);
      expect(await holds(cond, from('192.168.1.1'))).toBe(false);
    });
    it('treats IPv4-mapped IPv6 client addresses and ranges as IPv4', async () => {
      expect(await holds({ client_ip: '10.0.0.0/8,!10.0.0.5' }, from('::ffff:10.0.0.5'))).toBe(false);
      expect(await holds({ client_ip: '10.0.0.0/8' }, from('::ffff:10.9.9.9'))).toBe(true);
      expect(await holds({ client_ip: '::ffff:192.168.0.0/112' }, from('192.168.7.7'))).toBe(true);
    });
    it('matches single addresses and IPv6 ranges, never across families', async () => {
      expect(await holds({ client_ip: '192.168.1.10' }, from('192.168.1.10'))).toBe(true);
      expect(await holds({ client_ip: '192.168.1.10' }, from('192.168.1.11'))).toBe(false);
      expect(await holds({ client_ip: '2001:db8::/32' }, from('2001:db8::1'))).toBe(true);
      expect(await holds({ client_ip: '2001:db8::/32' }, from('10.0.0.1'))).toBe(false);
      expect(await holds({ client_ip: '10.0.0.0/8' }, from('2001:db8::1'))).toBe(false);
    });
    it('with only exclusions matches every other address', async () => {
      expect(await holds({ client_ip: '!127.0.0.1' }, from('10.0.0.1'))).toBe(true);
      expect(await holds({ client_ip: '!127.0.0.1' }, from('127.0.0.1'))).toBe(false);
    });
    it('does not hold for a missing or garbage client address', async () => {
      expect(await holds({ client_ip: '!127.0.0.1' }, from(undefined))).toBe(false);
      expect(await holds({ client_ip: '0.0.0.0/0' }, ctx())).toBe(false);
      expect(await holds({ client_ip: '0.0.0.0/0' }, from('not-an-ip'))).toBe(false);
    });
  });

  describe('payload_match', () => {
    const c = ctx({ payload: { domain: 'example.org', quota: 100, account: { email: 'bob@example.org' }, enabled: true } });
    it('accepts field=regex lines, a list of them, or an object; all must match', async () => {
      expect(await holds({ payload_match: 'domain=\\.org$' }, c)).toBe(true);
      expect(await holds({ payload_match: 'domain=\\.org$\naccount.email=^bob@' }, c)).toBe(true);
      expect(await holds({ payload_match: ['domain=\\.org$', 'account.email=^alice@'] }, c)).toBe(false);
      expect(await holds({ payload_match: { domain: '^example', quota: '^1\\d\\d$' } }, c)).toBe(true);
    });
    it('keeps "=" inside the regex and supports /pattern/flags', async () => {
      expect(await holds({ payload_match: 'q=a=b' }, ctx({ payload: { q: 'xa=by' } }))).toBe(true);
      expect(await holds({ payload_match: 'domain=/^EXAMPLE/i' }, c)).toBe(true);
      expect(await holds({ payload_match: 'domain=^EXAMPLE' }, c)).toBe(false);
    });
    it('matches numbers and booleans by their text, never objects, and a missing field does not hold', async () => {
      expect(await holds({ payload_match: 'enabled=^true$' }, c)).toBe(true);
      expect(await holds({ payload_match: 'account=.*' }, c)).toBe(false);
      expect(await holds({ payload_match: 'missing=.*' }, c)).toBe(false);
      expect(await holds({ payload_match: 'account.missing.deeper=.*' }, c)).toBe(false);
    });
  });

  describe('payload_compare', () => {
    const c = ctx({
      payload: { quota: 100, name: 'bob', tags: ['vip', 'new'], account: { domain: 'example.org', size: '42' }, active: false, note: null },
    });
    it.each([
      ['quota == 100', true],
      ['quota == 101', false],
      ['account.size == 42', true],
      ['name == bob', true],
      ['name != alice', true],
      ['name != bob', false],
      ['quota > 99', true],
      ['quota < 99', false],
      ['account.size < 50', true],
      ['name > alice', true],
      ['name in alice, bob', true],
      ['name in alice,carol', false],
      ['tags contains vip', true],
      ['tags contains old', false],
      ['account.domain contains example', true],
      ['account.domain matches \\.org$', true],
      ['name matches ^B', false],
      ['active == false', true],
      ['note == null', true],
    ])('"%s" → %s', async (line, expected) => {
      expect(await holds({ payload_compare: line }, c)).toBe(expected);
    });
    it('accepts structured {field, op, value} entries and requires all of them', async () => {
      expect(
        await holds(
          {
            payload_compare: [
              { field: 'quota', op: '>', value: 10 },
              { field: 'name', op: 'in', value: ['bob', 'carol'] },
            ],
          },
          c,
        ),
      ).toBe(true);
      expect(await holds({ payload_compare: [{ field: 'quota', op: '>', value: 10 }, 'name == carol'] }, c)).toBe(false);
    });
    it('treats a missing field as not holding for every operator, including !=', async () => {
      for (const line of ['nope == 1', 'nope != 1', 'nope < 1', 'nope > 1', 'nope in 1,2', 'nope contains x', 'nope matches .*', 'account.nope.x == 1']) {
        expect(await holds({ payload_compare: line }, c)).toBe(false);
      }
    });
    it('does not compare numbers with non-numeric strings or objects with scalars', async () => {
      expect(await holds({ payload_compare: 'name < 5' }, c)).toBe(false);
      expect(await holds({ payload_compare: 'account == x' }, c)).toBe(false);
      expect(await holds({ payload_compare: 'tags matches vip' }, c)).toBe(false);
    });
    it('never walks into prototypes', async () => {
      expect(await holds({ payload_compare: 'constructor != x' }, c)).toBe(false);
      expect(await holds({ payload_compare: 'name.length == 3' }, c)).toBe(false);
    });
  });

  it('requires all set conditions to hold', async () => {
    const c = ctx({ loggedInUser: { username: 'a', role: 'admin' }, request: { ip: '10.0.0.1' }, payload: { n: 1 } });
    expect(await holds({ logged_in_user: 'admin', client_ip: '10.0.0.0/8', payload_compare: 'n == 1' }, c)).toBe(true);
    expect(await holds({ logged_in_user: 'admin', client_ip: '10.0.0.0/8', payload_compare: 'n == 2' }, c)).toBe(false);
  });

  it('evaluates custom conditions through checkCustomCondition, sync or async', async () => {
    const c = ctx({ payload: { serial: 'HOTP0001', slow: true } });
    expect(m.checkCondition(c, { serial_prefix: 'HOTP' })).toBe(true);
    expect(m.checkCondition(c, { serial_prefix: 'TOTP' })).toBe(false);
    const pending = m.checkCondition(c, { slow_check: true, serial_prefix: 'HOTP' });
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(true);
    expect(await m.checkCondition(c, { slow_check: true, serial_prefix: 'TOTP' })).toBe(false);
  });

  it('throws a message naming the condition when a stored value is invalid', () => {
    expect(() => m.checkCondition(ctx(), { client_ip: '10.0.0.300' })).toThrow(/Condition "client_ip" of module "Probe" is invalid/);
  });

  describe('validateCondition', () => {
    it.each([
      ['client_ip', '10.0.0.0/8,!10.0.0.5', undefined],
      ['client_ip', '10.0.0.300', /not a valid IP address/],
      ['client_ip', '10.0.0.0/33', /not a valid CIDR range/],
      ['client_ip', ' , ', /lists no address/],
      ['client_ip', 42, /comma-separated string/],
      ['payload_match', 'domain=([a-z', /field "domain".*not a valid regular expression/],
      ['payload_match', 'no-equals-sign', /line 1.*field=regex/],
      ['payload_match', { domain: 5 }, /regex must be a string/],
      ['payload_compare', 'quota > 5\nname in a,b', undefined],
      ['payload_compare', 'quota >= 5', /line 1: ">=" is not an operator/],
      ['result_value', '=>5', /does not start with an operator/],
      ['payload_compare', 'quota', /line 1.*"field op value"/],
      ['payload_compare', [{ field: 'x', op: '~=', value: 1 }], /entry 0: operator "~=" is not one of/],
      ['payload_compare', [{ field: 'x', op: 'matches', value: '(' }], /entry 0: .*not a valid regular expression/],
      ['payload_compare', [{ field: '', op: '==', value: 1 }], /entry 0: the field name is missing/],
      ['payload_compare', [{ field: 'x', op: '==' }], /needs a value/],
      ['result_status', 'ok', /"success" or "failure"/],
      ['result_value', { a: 1 }, /comparison string/],
      ['logged_in_user', 5, /list of strings/],
      ['serial_prefix', 'HOTP', undefined],
      ['serial_prefix', 7, /must be a string/],
      ['slow_check', 'yes', /must be a boolean/],
      ['nonsense', 'x', /unknown condition/],
    ])('%s = %j → %s', (name, value, expected) => {
      const problem = m.validateCondition(name, value);
      if (expected === undefined) expect(problem).toBeUndefined();
      else expect(problem).toMatch(expected);
    });
  });
});
