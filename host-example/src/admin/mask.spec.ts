import { maskedJson, maskSecrets } from './mask';

describe('maskSecrets', () => {
  test('replaces credentials at any depth and keeps the rest', () => {
    expect(
      maskSecrets({ url: 'http://x', secret: 'whsec_1', nested: [{ password: 'p', apiKey: 'k', user: 'ann' }], headers: { Authorization: 'Bearer t' }, token: '' }),
    ).toEqual({ url: 'http://x', secret: '***', nested: [{ password: '***', apiKey: '***', user: 'ann' }], headers: { Authorization: '***' }, token: '' });
  });

  test('shortens long or cyclic values instead of failing', () => {
    expect(maskedJson({ text: 'x'.repeat(100) }, 20)).toHaveLength(20);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(maskedJson(cyclic)).toContain('{…}');
  });
});
