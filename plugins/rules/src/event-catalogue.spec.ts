import type { RuleIssue } from './errors';
import { checkEventNames, type RuleEventCatalogue } from './event-catalogue';

const catalogue = (api: readonly string[] | undefined): RuleEventCatalogue => ({ hookEvents: () => ['AccountCreated', 'AccountDeleted'], apiEvents: () => api });

function issues(events: unknown, api: readonly string[] | undefined = ['POST /api/accounts'], unchanged: readonly string[] = []): RuleIssue[] {
  const out: RuleIssue[] = [];
  checkEventNames(events, catalogue(api), unchanged, out);
  return out;
}

describe('checkEventNames', () => {
  it('accepts hook events, API events and patterns', () => expect(issues(['AccountCreated', 'POST /api/accounts', '*', 'Account*'])).toEqual([]));

  it('names the index of an unknown event and suggests the nearest', () => {
    expect(issues(['AccountCreated', 'AccountCreatd'])).toEqual([{ path: 'events.1', message: expect.stringMatching(/unknown event "AccountCreatd".*did you mean AccountCreated\?/) }]);
  });

  it('says where to look when nothing is near', () => {
    expect(issues(['Banana'])[0].message).toMatch(/list of rule events/);
  });

  it('leaves API names unchecked while the host has declared no routes', () => {
    const out: RuleIssue[] = [];
    checkEventNames(['GET /api/nowhere'], catalogue(undefined), [], out);
    expect(out).toEqual([]);
  });

  it('checks API names once the routes are declared', () => expect(issues(['GET /api/nowhere'])).toHaveLength(1));

  it('lets an unknown event pass when the stored rule already had it', () => expect(issues(['GoneEvent'], [], ['GoneEvent'])).toEqual([]));
});
