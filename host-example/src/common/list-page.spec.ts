import { HostError } from '../errors';
import { decodeCursor, encodeCursor, likePattern, pageLimit, pageOf } from './list-page';

describe('list pages', () => {
  test('a cursor carries its key back unchanged, whatever the characters', () => {
    for (const key of ['beta.test', 'ann@x.org', 'Ünal', '']) expect(decodeCursor(encodeCursor(key))).toBe(key);
  });

  test('a cursor not made by the listing is refused naming the cursor field', () => {
    for (const bad of ['nope', '!!', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(HostError);
      try {
        decodeCursor(bad);
      } catch (e) {
        expect((e as HostError).field).toBe('cursor');
      }
    }
  });

  test('the page size defaults to 50 and must lie in 1..200', () => {
    expect(pageLimit(undefined)).toBe(50);
    expect(pageLimit(200)).toBe(200);
    for (const bad of [0, 201, 1.5]) expect(() => pageLimit(bad)).toThrow(/limit|1 to 200/);
  });

  test('LIKE wildcards typed in a search are taken literally', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  test('a next cursor is given only when a row beyond the page was read', () => {
    expect(pageOf(['a', 'b'], 2, (s) => s)).toEqual({ items: ['a', 'b'] });
    const page = pageOf(['a', 'b', 'c'], 2, (s) => s);
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor)).toBe('b');
  });
});
