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

  it('find tells a present undefined or null value from a missing step', () => {
    expect(new PayloadPath('a.b').find({ a: { b: undefined } })).toEqual({ found: true, value: undefined });
    expect(new PayloadPath('a').find({ a: null })).toEqual({ found: true, value: null });
    expect(new PayloadPath('a.c').find({ a: { b: 1 } })).toEqual({ found: false });
    expect(new PayloadPath('a.b').find({ 'a.b': 2, a: { b: 3 } })).toEqual({ found: true, value: 2 });
  });
});
