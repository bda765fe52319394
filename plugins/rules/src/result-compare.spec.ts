import type { EventContext } from '@plugboard/core';
import { compileStandardCondition } from './standard-conditions';

const post = (result?: EventContext['result']): EventContext => ({
  eventId: 'e1',
  event: 'POST /api/accounts',
  position: 'post',
  timestamp: new Date(),
  payload: { username: 'payload-only' },
  ...(result !== undefined ? { result } : {}),
});

describe('result_compare', () => {
  const body = { status: 'success' as const, value: { username: 'ann@example.com', quota: 50, domain: { name: 'example.com' } } };

  it('matches fields of a JSON result by path', async () => {
    expect(await compileStandardCondition('result_compare', 'username == ann@example.com\nquota > 10\ndomain.name == example.com')(post(body))).toBe(true);
  });

  it('fails when one comparison does not hold', async () => {
    expect(await compileStandardCondition('result_compare', 'quota > 100')(post(body))).toBe(false);
  });

  it('looks at the result, not the payload', async () => {
    expect(await compileStandardCondition('result_compare', 'username == payload-only')(post(body))).toBe(false);
  });

  it('never matches an event without a result (a pre rule)', async () => {
    expect(await compileStandardCondition('result_compare', 'quota > 10')(post())).toBe(false);
  });

  it('refuses a line that is not "path op value" at save', () => {
    expect(() => compileStandardCondition('result_compare', 'just words')).toThrow();
  });
});
