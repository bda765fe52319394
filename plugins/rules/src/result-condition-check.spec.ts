import type { RuleEventFacts } from './event-catalogue';
import { resultConditionIssue } from './result-condition-check';

const api: RuleEventFacts = { name: 'POST /api/accounts', hasUser: false, jsonResult: true };
const hook: RuleEventFacts = { name: 'AccountCreated', payloadFields: ['account'], hasUser: true };

describe('resultConditionIssue', () => {
  it('refuses result_value on an event whose result is a JSON body, pointing to result_compare', () => {
    expect(resultConditionIssue({ result_value: 'ann' }, [hook, api])).toEqual({
      path: 'conditions.result_value',
      message: expect.stringMatching(/result of event POST \/api\/accounts is a JSON body.*result_compare/),
    });
  });
  it('accepts result_value on events whose result is not known to be JSON', () => expect(resultConditionIssue({ result_value: 'true' }, [hook])).toBeUndefined());
  it('has nothing to say without result_value', () => expect(resultConditionIssue({ result_compare: 'id > 0' }, [api])).toBeUndefined());
});
