import { destination, errorText, shortId } from './delivery-cells';

describe('delivery cells', () => {
  it('tells apart two UUIDv7 ids of the same millisecond by their random tail', () => {
    const a = '0193a8f2-7c1e-7abc-9def-0123456789ab';
    const b = '0193a8f2-7c1e-7abc-9def-ba9876543210';
    expect(shortId(a)).not.toBe(shortId(b));
  });

  it('names where a message goes: mail recipients, the SMS number, a webhook endpoint by name and origin only', () => {
    expect(destination({ to: [{ address: 'a@x.org', name: 'A' }, { address: 'b@y.org' }] })).toBe('a@x.org, b@y.org');
    expect(destination({ smsconfig: 'gw', phone: '+491701234567', message: 'hi' })).toBe('+491701234567');
    const lookup = (id: string) => (id === 'e1' ? { name: 'crm', url: 'https://crm.example/hooks/T0KEN?sig=x' } : undefined);
    expect(destination({ kind: 'endpoint', endpointId: 'e1', event: 'AccountCreated' }, lookup)).toBe('webhook crm (https://crm.example)');
    expect(destination({ kind: 'endpoint', endpointId: 'gone' }, lookup)).toBe('webhook endpoint gone');
    expect(destination({ url: 'https://u:pw@h.example/x?token=1' })).not.toContain('pw');
  });

  it("drops a dead letter's promise of another attempt, and leaves a pending message's error as it is", () => {
    expect(errorText('POST x failed: refused. The receiver is unreachable; it will be tried again.', 'dead')).toBe(
      'POST x failed: refused. The receiver is unreachable. No further attempt will be made: it is a dead letter (Retry queues it again).',
    );
    expect(errorText('refused; it will be tried again.', 'pending')).toBe('refused; it will be tried again.');
  });
});
