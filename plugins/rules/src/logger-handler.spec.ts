import type { EventContext } from '@plugboard/core';
import { LoggerHandler, type LogLine } from './logger-handler';

const ctx: EventContext = {
  eventId: 'ev-9',
  event: 'AccountCreated',
  position: 'post',
  timestamp: new Date(),
  payload: { account: { email: 'bob@example.org', quota: 10 }, tags: ['a'] },
  loggedInUser: { username: 'root', realm: 'admins', role: 'admin' },
  user: { username: 'bob', realm: 'example.org' },
};

describe('LoggerHandler', () => {
  it('declares the log action with a required message and a level with allowed values and default', () => {
    const m = new LoggerHandler(() => undefined);
    expect(m.identifier).toBe('Logger');
    expect(m.actions.log.options.message).toMatchObject({ type: 'str', required: true });
    expect(m.actions.log.options.level).toMatchObject({ values: ['debug', 'info', 'warn', 'error'], default: 'info' });
    expect(Object.keys(m.conditions)).toContain('client_ip');
  });

  it('writes the message with tags replaced and reports it as detail', () => {
    const lines: LogLine[] = [];
    const m = new LoggerHandler((l) => lines.push(l));
    const out = m.do('log', ctx, { message: '{admin}@{realm} created {username}@{userrealm} ({account.email}, quota {account.quota}, {tags}) on {event}/{position}', level: 'warn' });
    const message = 'root@admins created bob@example.org (bob@example.org, quota 10, ["a"]) on AccountCreated/post';
    expect(lines).toEqual([{ level: 'warn', message, event: 'AccountCreated', eventId: 'ev-9' }]);
    expect(out).toEqual({ detail: message });
  });

  it('fails on an unknown tag, naming it, instead of writing an empty string', () => {
    const m = new LoggerHandler(() => undefined);
    expect(() => m.do('log', ctx, { message: 'hi {nope}' })).toThrow('Unknown tag {nope} in the message');
    expect(() => m.do('log', { ...ctx, loggedInUser: undefined }, { message: '{admin}' })).toThrow(/\{admin\}/);
    expect(() => m.do('log', ctx, { message: '{nope.deeper}' })).toThrow(expect.objectContaining({ code: 'PB_RULES_UNKNOWN_TAG', tags: ['nope.deeper'] }));
  });

  it('gives event fields precedence over payload fields of the same name', () => {
    const lines: LogLine[] = [];
    const m = new LoggerHandler((l) => lines.push(l));
    m.do('log', { ...ctx, payload: { event: 'spoofed', admin: 'mallory', note: 'kept' } }, { message: '{event} by {admin}: {note}' });
    expect(lines[0].message).toBe('AccountCreated by root: kept');
  });

  it('refuses an action it does not have', () => {
    expect(() => new LoggerHandler(() => undefined).do('shout', ctx, { message: 'x' })).toThrow('Logger has no action "shout"; use "log".');
  });

  it('writes to the console by default', () => {
    const spy = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      new LoggerHandler().do('log', ctx, { message: 'hello', level: 'info' });
      expect(spy).toHaveBeenCalledWith('[rules] AccountCreated: hello');
    } finally {
      spy.mockRestore();
    }
  });
});
