import { Webhook } from 'standardwebhooks';
import { assertValidSecret, envelopeBody, generateSecret, signatureHeaders } from './signing';

describe('Standard Webhooks signing (verified with the standardwebhooks package)', () => {
  const body = envelopeBody({ type: 'AccountCreated', id: 'msg_1', timestamp: '2024-01-01T00:00:00.000Z', data: { email: 'a@b.c' } });

  it('produces headers that verify with a single secret', () => {
    const secret = generateSecret();
    const headers = signatureHeaders([secret], 'msg_1', new Date(), body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with every active secret during a rotation so both old and new secrets verify', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const headers = signatureHeaders([newSecret, oldSecret], 'msg_2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
  });

  it('fails verification of a tampered body', () => {
    const secret = generateSecret();
    const headers = signatureHeaders([secret], 'msg_3', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('a@b.c', 'x@b.c'), { ...headers })).toThrow(/signature/i);
  });

  it('refuses to sign without a secret and rejects malformed secrets', () => {
    expect(() => signatureHeaders([], 'msg_4', new Date(), body)).toThrow(/no secret/);
    expect(() => assertValidSecret('not-a-secret')).toThrow(expect.objectContaining({ code: 'PB_WEBHOOK_ENDPOINT_INVALID' }));
    expect(() => assertValidSecret('whsec_' + Buffer.alloc(8).toString('base64'))).toThrow();
    expect(() => assertValidSecret(generateSecret())).not.toThrow();
  });
});
