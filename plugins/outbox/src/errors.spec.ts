import { PlugboardError } from '@plugboard/core';
import { failureFacts, OutboxError, PermanentDeliveryError, RetryableDeliveryError } from './errors';

describe('delivery errors', () => {
  it('are PlugboardErrors with stable codes, status codes and causes', () => {
    const cause = new Error('socket hang up');
    const p = new PermanentDeliveryError('550 mailbox unknown', { statusCode: 550, cause });
    const r = new RetryableDeliveryError('451 try later', { statusCode: 451, retryAfterMs: 2000 });
    expect(p).toBeInstanceOf(PlugboardError);
    expect(p).toMatchObject({ code: 'PB_OUTBOX_PERMANENT', statusCode: 550, cause, name: 'PermanentDeliveryError' });
    expect(r).toMatchObject({ code: 'PB_OUTBOX_RETRYABLE', statusCode: 451, retryAfterMs: 2000, name: 'RetryableDeliveryError' });
    expect(new OutboxError('PB_OUTBOX_CLOSED', 'closed')).toBeInstanceOf(PlugboardError);
  });

  it('classifies permanent, retryable and foreign errors', () => {
    expect(failureFacts(new PermanentDeliveryError('gone', { statusCode: 410 }))).toEqual({ permanent: true, statusCode: 410, message: 'gone' });
    expect(failureFacts(new RetryableDeliveryError('busy', { retryAfterMs: 30 }))).toEqual({ permanent: false, retryAfterMs: 30, message: 'busy' });
    expect(failureFacts(new Error('ECONNREFUSED'))).toEqual({ permanent: false, message: 'ECONNREFUSED' });
    expect(failureFacts('plain string')).toEqual({ permanent: false, message: 'plain string' });
    expect(failureFacts({ why: 1 })).toEqual({ permanent: false, message: '{"why":1}' });
  });

  it('recognises errors of another copy of the package by their code', () => {
    const foreign = Object.assign(new Error('nope'), { code: 'PB_OUTBOX_PERMANENT', statusCode: 554 });
    expect(failureFacts(foreign)).toMatchObject({ permanent: true, statusCode: 554 });
    const later = Object.assign(new Error('later'), { code: 'PB_OUTBOX_RETRYABLE', retryAfterMs: 5 });
    expect(failureFacts(later)).toMatchObject({ permanent: false, retryAfterMs: 5 });
  });

  it('ignores a nonsensical retryAfterMs', () => {
    expect(failureFacts(new RetryableDeliveryError('x', { retryAfterMs: -5 })).retryAfterMs).toBeUndefined();
    expect(failureFacts(new RetryableDeliveryError('x', { retryAfterMs: Number.NaN })).retryAfterMs).toBeUndefined();
  });
});
