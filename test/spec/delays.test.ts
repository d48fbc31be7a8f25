// Every delay a collector can set has a ceiling: a wait longer than a timer
// holds (2^31 - 1 ms) fires at once in Node, and one longer than the Lambda's
// 15 minutes is never waited out. The fetcher clamps too (test/fetch/backoff.test.ts).
import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

describe('delays', () => {
  it('refuses retry delays, timeouts and rate limits beyond their ceiling', () => {
    const text = doc(
      'request:',
      '  retries: { maxDelaySeconds: 3000000, baseDelaySeconds: 100000 }',
      '  rateLimit: { perSecond: 0.00001 }',
      '  timeoutSeconds: 1000000',
      'scaling: { batchingWindowSeconds: 100000 }',
      'schedule: { expression: "rate(1 day)", flexibleWindowMinutes: 100000 }',
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:12:31 error request.retries.maxDelaySeconds: must be at most 900, got 3000000',
      'collectors/t.yaml:12:58 error request.retries.baseDelaySeconds: must be at most 900, got 100000',
      'collectors/t.yaml:13:27 error request.rateLimit.perSecond: must be at least 0.001, got 0.00001',
      'collectors/t.yaml:14:19 error request.timeoutSeconds: must be at most 900, got 1000000',
      'collectors/t.yaml:15:35 error scaling.batchingWindowSeconds: must be at most 300, got 100000',
      'collectors/t.yaml:16:63 error schedule.flexibleWindowMinutes: must be at most 1440, got 100000',
    ]);
  });

  it('accepts each at its ceiling', () => {
    const text = doc(
      'request:',
      '  retries: { maxDelaySeconds: 900, baseDelaySeconds: 900 }',
      '  rateLimit: { perSecond: 0.001 }',
      '  timeoutSeconds: 900',
      'scaling: { batchingWindowSeconds: 300 }',
      'schedule: { expression: "rate(1 day)", flexibleWindowMinutes: 1440 }',
    );
    expect(check(text)).toEqual([]);
  });
});
