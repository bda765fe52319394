import type { PostResponse } from './http-client';
import { classifyResponse, parseRetryAfter } from './classify';

const res = (status: number, headers: Record<string, string> = {}): PostResponse => ({ status, headers, bodyExcerpt: '', redirects: 0 });

describe('response classification', () => {
  it('treats 2xx as delivered', () => {
    expect(classifyResponse(res(204), 'u').kind).toBe('delivered');
  });

  it('retries 5xx and 429 and reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(classifyResponse(res(503), 'u')).toMatchObject({ kind: 'retry', status: 503 });
    expect(classifyResponse(res(429, { 'retry-after': '7' }), 'u', now)).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    expect(classifyResponse(res(503, { 'retry-after': 'Mon, 01 Jan 2024 00:00:30 GMT' }), 'u', now)).toMatchObject({ retryAfterMs: 30_000 });
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('treats 410 as gone and other 4xx and unfollowed redirects as permanent', () => {
    expect(classifyResponse(res(410), 'u').kind).toBe('gone');
    expect(classifyResponse(res(404), 'u').kind).toBe('permanent');
    expect(classifyResponse(res(400), 'u').kind).toBe('permanent');
    expect(classifyResponse(res(302, { location: '/x' }), 'u')).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('redirect') });
  });
});
