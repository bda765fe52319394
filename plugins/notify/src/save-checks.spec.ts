import type { RuleEventFacts } from '@plugboard/rules';
import { notificationSaveIssues } from './save-checks';

const account: RuleEventFacts = { name: 'AccountCreated', payloadFields: ['account'], hasUser: true };
const api: RuleEventFacts = { name: 'POST /api/domains', hasUser: false };

describe('notificationSaveIssues', () => {
  it('refuses the token owner on an event about no user', () => {
    expect(notificationSaveIssues({ To: 'tokenowner' }, [account, api], [])).toEqual([
      { path: 'options.To', message: expect.stringMatching(/event POST \/api\/domains is about no user/) },
    ]);
  });

  it('accepts the token owner on events about a user', () => expect(notificationSaveIssues({ To: 'tokenowner' }, [account], [])).toEqual([]));

  it('accepts other recipients on an event about no user', () => expect(notificationSaveIssues({ To: 'logged_in_user' }, [api], [])).toEqual([]));

  it('checks the subject and the body tags', () => {
    const issues = notificationSaveIssues({ To: 'email', subject: '{nope}', body: '{account.username} {url} {nada}' }, [account], ['url']);
    expect(issues.map((i) => i.path)).toEqual(['options.subject', 'options.body']);
  });
});
