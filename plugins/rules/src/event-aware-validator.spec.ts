import type { RuleEventFacts } from './event-catalogue';
import { templateTagIssue } from './event-aware-validator';

const created: RuleEventFacts = { name: 'AccountCreated', payloadFields: ['account'], hasUser: true };
const domain: RuleEventFacts = { name: 'DomainCreated', payloadFields: ['user', 'domain'], hasUser: true };
const api: RuleEventFacts = { name: 'POST /api/domains', hasUser: false };

describe('templateTagIssue', () => {
  it('accepts payload fields, paths into them and fixed tags', () => {
    expect(templateTagIssue('body', '{account.username} {url}', ['url'], [created])).toBeUndefined();
  });

  it('names the option, the tag, the event lacking it and the tags it has', () => {
    expect(templateTagIssue('body', 'Hi {acount}', ['url'], [created])).toEqual({
      path: 'options.body',
      message: 'uses {acount}, which event AccountCreated does not provide; its tags: {account}, {url}',
    });
  });

  it('refuses a tag missing on any one of the events', () => {
    expect(templateTagIssue('subject', '{account.username}', [], [created, domain])?.message).toMatch(/event DomainCreated/);
  });

  it('does not guess for an event whose payload is unknown', () => expect(templateTagIssue('body', '{anything}', [], [api])).toBeUndefined());

  it('ignores options that are not text', () => expect(templateTagIssue('body', undefined, [], [created])).toBeUndefined());
});
