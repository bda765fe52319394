import { z } from 'zod';
import { decodeSecretKey, generateSecretKey, openStored, SecretBox } from './secret-box';
import { maskDeclared, maskUrl } from './mask';
import { secret, secretPaths } from './secret-paths';

const key = () => decodeSecretKey(generateSecretKey(), 'test key');

describe('SecretBox', () => {
  it('seals with AES-256-GCM, a fresh IV per value, and opens what it sealed', () => {
    const box = new SecretBox([key()]);
    const a = box.seal('s3cret');
    const b = box.seal('s3cret');
    expect(a).toMatch(/^enc:v1:[0-9a-f]{12}:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
    expect(box.open(a)).toBe('s3cret');
  });

  it('opens values sealed with an older key during a rotation, and says which need resealing', () => {
    const old = key();
    const sealed = new SecretBox([old]).seal('x');
    const rotated = new SecretBox([key(), old]);
    expect(rotated.open(sealed)).toBe('x');
    expect(rotated.needsReseal(sealed)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('x'))).toBe(false);
  });

  it('refuses a wrong key, a tampered value and a missing key with coded errors', () => {
    const sealed = new SecretBox([key()]).seal('x');
    expect(() => new SecretBox([key()]).open(sealed)).toThrow(expect.objectContaining({ code: 'PB_SECRET_KEY_MISMATCH' }));
    const box = new SecretBox([key()]);
    // Flip one bit of the ciphertext itself (editing a base64 character may only touch padding bits).
    const parts = box.seal('secret value').split(':');
    const data = Buffer.from(parts[5], 'base64url');
    data[0] ^= 1;
    const tampered = [...parts.slice(0, 5), data.toString('base64url')].join(':');
    expect(() => box.open(tampered)).toThrow(expect.objectContaining({ code: 'PB_SECRET_KEY_MISMATCH' }));
    expect(() => openStored(undefined, sealed, 'SMTP configuration "x"')).toThrow(expect.objectContaining({ code: 'PB_SECRET_KEY_MISSING', message: expect.stringContaining('PLUGBOARD_SECRET_KEY') }));
    expect(() => decodeSecretKey('c2hvcnQ=', 'PLUGBOARD_SECRET_KEY')).toThrow(expect.objectContaining({ code: 'PB_SECRET_KEY_INVALID' }));
  });
});

describe('masking by declaration', () => {
  const schema = z.object({
    name: z.string(),
    url: secret(z.string()),
    parameters: z.record(z.string(), secret(z.string())).default({}),
    nested: z.object({ password: secret(z.string()).optional(), plain: z.string() }),
  });

  it('finds the declared paths through wrappers, records and nesting', () => {
    expect(secretPaths(schema).sort()).toEqual(['nested.password', 'parameters.*', 'url']);
  });

  it('masks declared paths, credential-looking names and URL credentials and query values', () => {
    const masked = maskDeclared(
      { name: 'gw', url: 'http://u:PW@h/send?apikey=KEY', parameters: { key: 'K2', to: '{phone}' }, nested: { plain: 'ok' }, note: 'https://x.example/?sig=abc', key: 'K3' },
      secretPaths(schema),
    );
    expect(masked).toEqual({ name: 'gw', url: '***', parameters: { key: '***', to: '***' }, nested: { plain: 'ok' }, note: 'https://x.example/?sig=***', key: '***' });
    expect(maskUrl('http://u:PW@h/send?apikey=KEY&to=1')).toBe('http://u:***@h/send?apikey=***&to=***');
    expect(maskUrl('not a url')).toBe('not a url');
  });
});
