import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, backoffDelay, parseRetryAfter, retryDelay, timerDelay } from '../../runtime/core/fetch/backoff.ts';

const policy = { baseDelayMs: 500, maxDelayMs: 30_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per retry and draws the delay below it (full jitter)', () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, policy, top)).toBe(499);
    expect(backoffDelay(2, policy, top)).toBe(999);
    expect(backoffDelay(3, policy, top)).toBe(1999);
    expect(backoffDelay(4, policy, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('never exceeds maxDelayMs, however many retries', () => {
    expect(backoffDelay(30, policy, () => 0.999999)).toBe(29_999);
    expect(backoffDelay(1000, { baseDelayMs: 500, maxDelayMs: 1_000 }, () => 0.999999)).toBe(999);
  });

  it('spreads delays over the whole range with a real random source', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(2000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP-date relative to now, a past date as 0', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1e3', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('uses Retry-After over backoff, capped at maxDelayMs', () => {
    expect(retryDelay(1, policy, 2_000, () => 0)).toBe(2_000);
    expect(retryDelay(1, policy, 120_000, () => 0)).toBe(30_000);
    expect(retryDelay(1, policy, 0, () => 0.9)).toBe(0);
  });

  it('falls back to jittered backoff without Retry-After', () => {
    expect(retryDelay(2, policy, undefined, () => 0.5)).toBe(500);
  });

  it('caps a huge Retry-After, in seconds or as a far date, at maxDelayMs', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    const capped = { baseDelayMs: 500, maxDelayMs: 1_000 };
    for (const header of ['3000000', '9'.repeat(400), 'Fri, 31 Dec 9999 23:59:59 GMT']) {
      expect(retryDelay(1, capped, parseRetryAfter(header, now), () => 0)).toBe(1_000);
    }
    expect(parseRetryAfter('3000000', now)).toBe(3_000_000_000);
  });

  it('never returns more than a timer holds (2^31 - 1 ms), whatever maxDelayMs says', () => {
    const unbounded = { baseDelayMs: 1e12, maxDelayMs: 1e13 };
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(retryDelay(1, unbounded, 3_000_000_000, () => 0)).toBe(MAX_TIMER_MS);
    expect(retryDelay(1, unbounded, Number.POSITIVE_INFINITY, () => 0)).toBe(MAX_TIMER_MS);
    expect(retryDelay(5, unbounded, undefined, () => 0.999)).toBe(MAX_TIMER_MS);
  });
});

describe('timerDelay', () => {
  it('keeps a delay within what setTimeout waits as asked', () => {
    expect(timerDelay(1_500)).toBe(1_500);
    expect(timerDelay(2 ** 31)).toBe(2 ** 31 - 1);
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(2 ** 31 - 1);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(Number.NaN)).toBe(0);
  });
});
