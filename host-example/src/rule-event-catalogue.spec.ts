import { ruleEventCatalogue } from './rule-event-catalogue';

const params: Readonly<Record<string, readonly string[]>> = { AccountCreated: ['account'], GetAnnouncement: ['target'] };
const catalogue = (api: readonly string[] | undefined) =>
  ruleEventCatalogue({ hookNames: () => Object.keys(params), hookParams: (h) => params[h] ?? [], apiEvents: () => api });

describe('ruleEventCatalogue', () => {
  it('describes a hook event by its parameters, about a user when one holds a User', () => {
    expect(catalogue([]).describe?.('AccountCreated')).toEqual({ name: 'AccountCreated', payloadFields: ['account'], hasUser: true });
  });

  it('describes a hook event with no User parameter as about no user', () => expect(catalogue([]).describe?.('GetAnnouncement')?.hasUser).toBe(false));

  it('describes an API event as about no user, with an unknown payload and a JSON result', () => {
    expect(catalogue(['POST /api/domains']).describe?.('POST /api/domains')).toEqual({ name: 'POST /api/domains', hasUser: false, jsonResult: true });
  });

  it('cannot describe an unknown event', () => expect(catalogue(undefined).describe?.('POST /api/domains')).toBeUndefined());
});
