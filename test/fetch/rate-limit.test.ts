import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { HostRateLimiter } from '../../runtime/core/fetch/rate-limit.ts';
import { startFaultSite } from '../helpers/fault-site.ts';
import type { FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

describe('HostRateLimiter', () => {
  it('grants slots first come, first served', async () => {
    const limiter = new HostRateLimiter();
    const order: number[] = [];
    await limiter.acquire('a', { concurrency: 1 });
    const waiting = [1, 2, 3].map((n) => limiter.acquire('a', { concurrency: 1 }).then(() => order.push(n)));
    expect(limiter.waiting('a')).toBe(3);
    for (let i = 0; i < 3; i++) {
      limiter.release('a');
      await waiting[i];
    }
    expect(order).toEqual([1, 2, 3]);
    limiter.release('a');
    expect(limiter.inFlight('a')).toBe(0);
  });

  it('keeps hosts apart', async () => {
    const limiter = new HostRateLimiter();
    await limiter.acquire('a', { concurrency: 1 });
    let bGranted = false;
    await limiter.acquire('b', { concurrency: 1 }).then(() => (bGranted = true));
    expect(bGranted).toBe(true);
    expect(limiter.inFlight('a')).toBe(1);
    expect(limiter.inFlight('b')).toBe(1);
  });

  it('drops a waiter whose signal aborts, and lets the next one in', async () => {
    const limiter = new HostRateLimiter();
    await limiter.acquire('a', { concurrency: 1 });
    const controller = new AbortController();
    const aborted = limiter.acquire('a', { concurrency: 1 }, controller.signal);
    const next = limiter.acquire('a', { concurrency: 1 });
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    limiter.release('a');
    await next;
    expect(limiter.inFlight('a')).toBe(1);
    expect(limiter.waiting('a')).toBe(0);
  });

  it('spaces starts 1/perSecond apart', async () => {
    const limiter = new HostRateLimiter();
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 5 }, () =>
        limiter.acquire('a', { concurrency: 10, perSecond: 50 }).then(() => {
          starts.push(performance.now() - t0);
          limiter.release('a');
        }),
      ),
    );
    // 4 gaps of 20 ms; timers may fire a little late, never early by more than a tick.
    expect(starts[4]!).toBeGreaterThanOrEqual(75);
  });

  it('refuses a release without an acquire', () => {
    expect(() => new HostRateLimiter().release('nowhere')).toThrow(/release without acquire/);
  });
});

describe('rate limit on real requests', () => {
  let site: FaultSite;
  const fetcher = new HttpFetcher();
  beforeAll(async () => {
    site = await startFaultSite();
  });
  afterAll(async () => {
    await fetcher.close();
    await site.close();
  });

  it('keeps at most `concurrency` requests in flight per host', async () => {
    const policy = localPolicy({ rateLimit: { concurrency: 3 } });
    const responses = await Promise.all(Array.from({ length: 15 }, () => fetcher.fetch(get(site.at('/delay/30')), policy)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(site.hits('/delay/30')).toBe(15);
    expect(site.maxInFlight('/delay/30')).toBeLessThanOrEqual(3);
    // The limit is used, not just respected.
    expect(site.maxInFlight('/delay/30')).toBeGreaterThanOrEqual(2);
  });

  it('starts at most `perSecond` requests per second: 10 at 20/s take at least 400 ms', async () => {
    const policy = localPolicy({ rateLimit: { concurrency: 10, perSecond: 20 } });
    const started = performance.now();
    await Promise.all(Array.from({ length: 10 }, () => fetcher.fetch(get(site.at('/json')), policy)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    const arrivals = site.requests.filter((r) => r.path === '/json').map((r) => r.at);
    expect(arrivals).toHaveLength(10);
    // On the wire: the k-th request to reach the server came no sooner than k x 50 ms after the first could start.
    // (Each arrival follows its own start, so a busy machine can only make these later; comparing two arrivals
    // with each other would not hold, since the first one may be the one delayed.)
    const sorted = [...arrivals].sort((a, b) => a - b);
    expect(sorted.map((at, k) => at - started >= k * 50)).toEqual(sorted.map(() => true));
  });
});
