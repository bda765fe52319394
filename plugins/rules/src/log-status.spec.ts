import { logOutcome } from './log-status';

describe('logOutcome', () => {
  it('records an action that queued outbox messages as queued, saying how many when the handler gave no detail', () => {
    expect(logOutcome('ran', { queued: ['m1', 'm2'] }, undefined)).toEqual({ status: 'queued', detail: 'queued 2 message(s): m1, m2' });
    expect(logOutcome('ran', { queued: ['m1'], detail: 'queued 1 mail(s) to a@x.org' }, 'queued 1 mail(s) to a@x.org')).toEqual({ status: 'queued', detail: 'queued 1 mail(s) to a@x.org' });
  });

  it('records an action that said why it did nothing as skipped with that reason', () => {
    expect(logOutcome('ran', { skipped: 'not sent: endpoint "crm" is disabled', detail: 'x' }, 'x')).toEqual({ status: 'skipped', detail: 'not sent: endpoint "crm" is disabled' });
  });

  it('keeps ok for work done inline, and failed / skipped (conditions) as they were', () => {
    expect(logOutcome('ran', { detail: 'logged' }, 'logged')).toEqual({ status: 'ok', detail: 'logged' });
    expect(logOutcome('ran', undefined, undefined)).toEqual({ status: 'ok' });
    expect(logOutcome('ran', { queued: [] }, undefined)).toEqual({ status: 'ok' });
    expect(logOutcome('failed', undefined, undefined)).toEqual({ status: 'failed' });
    expect(logOutcome('skipped', undefined, undefined)).toEqual({ status: 'skipped' });
  });
});
