import { PayloadPath } from './payload-path';

describe('PayloadPath', () => {
  const payload = { a: { b: [{ c: 1 }] }, 'x.y': 'dotted', n: null, s: 'str' };
  it('follows dotted paths through objects and arrays', () => {
    expect(new PayloadPath('a.b.0.c').get(payload)).toBe(1);
    expect(new PayloadPath('s').get(payload)).toBe('str');
  });
  it('prefers a key that itself contains dots', () => {
    expect(new PayloadPath('x.y').get(payload)).toBe('dotted');
  });
  it('returns undefined for missing steps, non-objects and inherited properties', () => {
    for (const p of ['a.z', 'n.x', 's.length', 'toString', 'a.__proto__', 'a.b.5.c']) expect(new PayloadPath(p).get(payload)).toBeUndefined();
    expect(new PayloadPath('a').get(undefined)).toBeUndefined();
  });
});
