import { ListenerError, type CallReport } from '@plugboard/core';
import type { LiveCall } from './live-events';
import { decodeLiveEvent, encodeLiveEvent, LIVE_PAYLOAD_LIMIT, TRUNCATED } from './live-events-wire';

function call(args: unknown[], listeners = 1): LiveCall {
  const report: CallReport = {
    hook: 'AccountCreated',
    kind: 'notify',
    policy: 'isolate',
    startedAt: new Date('2026-12-05T20:00:00.000Z'),
    durationMs: 1.5,
    listeners: Array.from({ length: listeners }, (_, i) => ({
      extension: `ext-${i}`,
      listener: `ext-${i}.onCreated`,
      origin: 'observe' as const,
      status: 'error' as const,
      durationMs: 1,
      value: { secret: 'never sent' },
      error: new ListenerError('PB_LISTENER_TIMEOUT', `listener ${i} timed out`, { hook: 'AccountCreated', extension: `ext-${i}` }),
    })),
    conflicts: [],
  };
  return { hook: 'AccountCreated', args, report, at: '2026-12-05T20:00:00.000Z' };
}

describe('live events on the wire', () => {
  it('round-trips a call to another process with its origin, its report dates and listener errors, but not listener results', () => {
    const payload = encodeLiveEvent('a:1:ff', 'call', call([{ username: 'joe@example.com' }]));
    expect(payload).not.toContain('never sent');
    const received = decodeLiveEvent(payload, 'b:2:ee');
    expect(received?.event).toBe('call');
    const entry = received?.entry as LiveCall;
    expect(entry).toMatchObject({ hook: 'AccountCreated', origin: 'a:1:ff', source: 'process/a:1:ff', args: [{ username: 'joe@example.com' }] });
    expect(entry.report.startedAt).toEqual(new Date('2026-12-05T20:00:00.000Z'));
    expect(entry.report.listeners[0]?.error).toBeInstanceOf(ListenerError);
    expect(entry.report.listeners[0]?.error).toMatchObject({ code: 'PB_LISTENER_TIMEOUT', message: 'listener 0 timed out' });
  });

  it("ignores this process's own events and payloads that are not live events", () => {
    expect(decodeLiveEvent(encodeLiveEvent('a:1:ff', 'call', call([])), 'a:1:ff')).toBeUndefined();
    expect(decodeLiveEvent('not json', 'b')).toBeUndefined();
    expect(decodeLiveEvent('{"p":"a","e":"other","v":{}}', 'b')).toBeUndefined();
  });

  it('keeps a large call under the NOTIFY limit by replacing its arguments, then its listener lines, with a marker', () => {
    const bigArgs = encodeLiveEvent('a', 'call', call(['x'.repeat(20_000)]));
    expect(Buffer.byteLength(bigArgs)).toBeLessThanOrEqual(LIVE_PAYLOAD_LIMIT);
    expect((decodeLiveEvent(bigArgs, 'b')?.entry as LiveCall).args).toEqual([TRUNCATED]);
    expect((decodeLiveEvent(bigArgs, 'b')?.entry as LiveCall).report.listeners).toHaveLength(1);

    const manyListeners = encodeLiveEvent('a', 'call', call(['small'], 200));
    expect(Buffer.byteLength(manyListeners)).toBeLessThanOrEqual(LIVE_PAYLOAD_LIMIT);
    expect((decodeLiveEvent(manyListeners, 'b')?.entry as LiveCall).report.listeners).toEqual([]);

    const outbox = encodeLiveEvent('a', 'outbox', { type: 'dead', id: '1', channel: 'webhook', attempt: 3, error: 'é'.repeat(9000), at: '2026-12-05T20:00:00.000Z' });
    expect(Buffer.byteLength(outbox)).toBeLessThanOrEqual(LIVE_PAYLOAD_LIMIT);
    expect(decodeLiveEvent(outbox, 'b')).toEqual({ event: 'outbox', entry: expect.objectContaining({ error: TRUNCATED, origin: 'a' }) });
  });
});
