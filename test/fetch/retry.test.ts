import http from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStatusError, NetworkError, TimeoutError, isRetryable } from '../../runtime/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/fetch/http-fetcher.ts';
import type { FetchPolicy, FetchRetryInfo } from '../../runtime/fetch/types.ts';
import { startFaultSite } from '../helpers/fault-site.ts';
import type { FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

let site: FaultSite;
let retries: FetchRetryInfo[] = [];
const fetcher = new HttpFetcher({ onRetry: (info) => retries.push(info) });

beforeAll(async () => {
  site = await startFaultSite();
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
});

async function failure(path: string, policy: FetchPolicy = localPolicy()): Promise<unknown> {
  retries = [];
  try {
    await fetcher.fetch(get(site.at(path)), policy);
  } catch (err) {
    return err;
  }
  throw new Error(`${path} did not fail`);
}

describe('retries of statuses', () => {
  it('retries 500, 502, 503 and then succeeds', async () => {
    retries = [];
    const res = await fetcher.fetch(get(site.at('/flaky/burst?fails=3&status=500,502,503')), localPolicy());
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(4);
    expect(site.hits('/flaky/burst')).toBe(4);
    expect(retries.map((r) => [r.attempt, (r.error as HttpStatusError).status])).toEqual([
      [1, 500],
      [2, 502],
      [3, 503],
    ]);
    expect(retries.every((r) => r.url === site.at('/flaky/burst?fails=3&status=500,502,503'))).toBe(true);
  });

  it('throws HttpStatusError with the status once retries run out', async () => {
    const err = await failure('/flaky/exhaust?fails=100&status=503', localPolicy({ retry: { ...localPolicy().retry, attempts: 2 } }));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(503);
    expect(isRetryable(err)).toBe(true);
    expect(site.hits('/flaky/exhaust')).toBe(3);
    expect(retries).toHaveLength(2);
  });

  it('does not retry a status outside retry.statuses', async () => {
    const err = await failure('/status/404');
    expect(err).toMatchObject({ name: 'HttpStatusError', status: 404, retryable: false });
    expect(site.hits('/status/404')).toBe(1);
    const policy = localPolicy({ retry: { ...localPolicy().retry, statuses: [503] } });
    expect(await failure('/status/500', policy)).toMatchObject({ status: 500, retryable: false });
    expect(site.hits('/status/500')).toBe(1);
  });

  it('returns an accepted status as an empty page', async () => {
    const res = await fetcher.fetch(get(site.at('/status/410')), localPolicy({ acceptStatuses: [404, 410] }));
    expect(res).toMatchObject({ status: 410, acceptedEmpty: true, text: '', attempts: 1 });
    expect(site.hits('/status/410')).toBe(1);
  });

  it('honours Retry-After in seconds', async () => {
    retries = [];
    const policy = localPolicy({ retry: { ...localPolicy().retry, maxDelayMs: 5_000 } });
    const started = performance.now();
    const res = await fetcher.fetch(get(site.at('/retry-after/seconds/one?after=1')), policy);
    expect(res.status).toBe(200);
    expect(retries[0]?.delayMs).toBe(1_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date', async () => {
    retries = [];
    const policy = localPolicy({ retry: { ...localPolicy().retry, maxDelayMs: 5_000 } });
    const started = performance.now();
    const res = await fetcher.fetch(get(site.at('/retry-after/date/two?after=2')), policy);
    expect(res.status).toBe(200);
    // The date has whole seconds, so 2 s ahead is a wait of 1 to 2 s.
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(900);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(2_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps Retry-After at maxDelayMs', async () => {
    retries = [];
    const started = performance.now();
    const res = await fetcher.fetch(get(site.at('/retry-after/seconds/long?after=3600&status=503')), localPolicy());
    expect(res.status).toBe(200);
    expect(retries[0]?.delayMs).toBe(20);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('retries of broken connections', () => {
  it('retries a reset before headers, then succeeds', async () => {
    const res = await fetcher.fetch(get(site.at('/reset-then-ok/a?fails=2')), localPolicy());
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
  });

  it('retries a reset after headers, then succeeds', async () => {
    const res = await fetcher.fetch(get(site.at('/reset-then-ok/b?fails=1&when=after')), localPolicy());
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
  });

  it.each(['/reset/before-headers', '/reset/after-headers', '/truncated'])('gives up on %s with a NetworkError', async (path) => {
    const err = await failure(path);
    expect(err).toBeInstanceOf(NetworkError);
    expect(isRetryable(err)).toBe(true);
    expect(site.hits(path)).toBe(4);
    expect(retries).toHaveLength(3);
  });

  it('reports a refused connection as a NetworkError', async () => {
    const server = http.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const err = await fetcher.fetch(get(`http://127.0.0.1:${port}/`), localPolicy({ retry: { ...localPolicy().retry, attempts: 1 } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).code).toBe('ECONNREFUSED');
  });
});

describe('timeouts', () => {
  const quick = (attempts: number) => localPolicy({ timeoutMs: 250, retry: { ...localPolicy().retry, attempts } });

  it('times out a body that stalls mid-way, retrying first', async () => {
    const started = performance.now();
    const err = await failure('/stall?after=500', quick(1));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(250);
    expect(site.hits('/stall')).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('times out a server that never answers', async () => {
    const err = await failure('/stall-headers', quick(0));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(site.hits('/stall-headers')).toBe(1);
  });

  it('succeeds when the stall does not repeat', async () => {
    const res = await fetcher.fetch(get(site.at('/stall-then-ok/x')), quick(2));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
  });
});

describe("the caller's signal", () => {
  it('aborts a request in flight, without retrying', async () => {
    retries = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    const started = performance.now();
    const err = await fetcher.fetch(get(site.at('/delay/5000')), localPolicy({ timeoutMs: 10_000 }), controller.signal).catch((e: unknown) => e);
    expect((err as Error).message).toBe('run cancelled');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(retries).toHaveLength(0);
  });

  it('aborts the wait between retries', async () => {
    const controller = new AbortController();
    const policy = localPolicy({ retry: { ...localPolicy().retry, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const pending = fetcher.fetch(get(site.at('/retry-after/seconds/abort?after=60')), policy, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 100);
    const started = performance.now();
    await expect(pending).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
