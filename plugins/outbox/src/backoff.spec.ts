import { backoffDelay, DEFAULT_BACKOFF, resolveBackoff, retryDelay } from './backoff';
import { OutboxError } from './errors';

describe('backoff', () => {
  const noJitter = resolveBackoff({ jitter: 0 });

  it('defaults to 500 ms ×2 capped at 60 s with ±20 % jitter and 8 attempts', () => {
    expect(resolveBackoff()).toEqual({ initialMs: 500, factor: 2, maxMs: 60_000, jitter: 0.2, maxAttempts: 8, maxRetryAfterMs: 3_600_000 });
    expect(resolveBackoff({ initialMs: undefined })).toEqual(DEFAULT_BACKOFF);
  });

  it('doubles from initialMs per failure without jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, noJitter))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('never exceeds maxMs, even for huge attempt counts', () => {
    expect(backoffDelay(8, noJitter)).toBe(60_000);
    expect(backoffDelay(10_000, noJitter)).toBe(60_000);
    expect(backoffDelay(10_000, resolveBackoff(), () => 0.999)).toBe(60_000);
  });

  it('spreads the delay uniformly over ±jitter', () => {
    const b = resolveBackoff({ initialMs: 1000, jitter: 0.2 });
    expect(backoffDelay(1, b, () => 0)).toBe(800);
    expect(backoffDelay(1, b, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, b, () => 0.9999999)).toBe(1200);
    const seen = Array.from({ length: 500 }, () => backoffDelay(1, b));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1200);
    expect(new Set(seen).size).toBeGreaterThan(50);
  });

  it('treats a failure count below 1 as the first failure', () => {
    expect(backoffDelay(0, noJitter)).toBe(500);
  });

  it('uses the receiver’s retryAfterMs as given, without jitter, capped at maxRetryAfterMs', () => {
    expect(retryDelay(1, resolveBackoff(), 2500, () => 0)).toBe(2500);
    expect(retryDelay(7, resolveBackoff(), 10, () => 0)).toBe(10);
    expect(retryDelay(1, resolveBackoff({ maxRetryAfterMs: 5000 }), 99_999)).toBe(5000);
    expect(retryDelay(3, noJitter)).toBe(2000);
  });

  it.each([
    [{ initialMs: -1 }, 'initialMs'],
    [{ factor: 0.5 }, 'factor'],
    [{ maxMs: 10, initialMs: 100 }, 'maxMs'],
    [{ jitter: 1.5 }, 'jitter'],
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ maxAttempts: 2.5 }, 'maxAttempts'],
    [{ maxRetryAfterMs: Number.NaN }, 'maxRetryAfterMs'],
  ])('rejects %j naming the option', (opts, name) => {
    expect(() => resolveBackoff(opts)).toThrow(OutboxError);
    expect(() => resolveBackoff(opts)).toThrow(`backoff.${name}`);
  });
});
