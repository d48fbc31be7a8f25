import http from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpStatusError, NetworkError, TimeoutError, isRetryable } from '../../runtime/core/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import type { FetchPolicy, FetchRetryInfo } from '../../runtime/core/fetch/types.ts';
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
    // Like /retry-after/date (a 429 asking for 2 s from now, in whole seconds, then 200), keeping the date it sent.
    let sent: string | undefined;
    site.route('/dated/two', (_req, res, ctx) => {
      if (ctx.hit > 1) return void res.end('ok');
      sent = new Date(Date.now() + 2_000).toUTCString();
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': sent });
      res.end('slow down');
    });
    let askedAt = 0;
    const dated = new HttpFetcher({
      onRetry: (info) => {
        retries.push(info);
        askedAt = Date.now();
      },
    });
    retries = [];
    const policy = localPolicy({ retry: { ...localPolicy().retry, maxDelayMs: 5_000 } });
    const before = Date.now();
    const started = performance.now();
    const res = await dated.fetch(get(site.at('/dated/two')), policy).finally(() => dated.close());
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(retries).toHaveLength(1);
    // The wait is the time left until the date, read between the request and the retry: bracketed by the clock
    // readings either side, however long the machine took in between.
    const until = Date.parse(sent!);
    const delayMs = retries[0]!.delayMs;
    expect(delayMs).toBeGreaterThanOrEqual(Math.max(0, until - askedAt));
    expect(delayMs).toBeLessThanOrEqual(until - before);
    // The date has whole seconds, so 2 s ahead is at most 2 s.
    expect(delayMs).toBeLessThanOrEqual(2_000);
    // And the fetcher slept at least that long (a lower bound: a busy machine only adds to it).
    expect(elapsed).toBeGreaterThanOrEqual(delayMs - 1);
  });

  it('caps Retry-After at maxDelayMs', async () => {
    retries = [];
    const res = await fetcher.fetch(get(site.at('/retry-after/seconds/long?after=3600&status=503')), localPolicy());
    expect(res.status).toBe(200);
    // The one wait the fetcher slept was the cap (20 ms), not the hour the server asked for.
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 20]]);
    expect(res.attempts).toBe(2);
    expect(site.hits('/retry-after/seconds/long')).toBe(2);
  });

  // A hostile site asks for a wait of 34 days (3000000 s, more than a timer holds) or until the year 9999: the
  // client waits maxDelayMs between tries, as the site sees them, instead of retrying at once.
  it.each([
    ['seconds', '3000000'],
    ['an HTTP date', 'Fri, 31 Dec 9999 23:59:59 GMT'],
  ])('waits maxDelayMs between tries when Retry-After in %s is huge', async (kind, value) => {
    const path = `/huge-retry-after/${kind.replace(/\W+/g, '-')}`;
    site.route(path, (_req, res) => {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': value });
      res.end('slow down');
    });
    retries = [];
    const policy = localPolicy({ retry: { ...localPolicy().retry, attempts: 2, maxDelayMs: 1_000 } });
    const err = await failure(path, policy);
    expect(err).toMatchObject({ name: 'HttpStatusError', status: 429 });
    expect(retries.map((r) => r.delayMs)).toEqual([1_000, 1_000]);
    const seen = site.requests.filter((r) => r.path === path).map((r) => r.at);
    expect(seen).toHaveLength(3);
    // Spacing as the site saw it: at least the second asked for (less a little for the clocks' granularity).
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(990);
    expect(seen[2]! - seen[1]!).toBeGreaterThanOrEqual(990);
  });

  it('never hands a timer more than it holds, whatever maxDelayMs says', async () => {
    const path = '/huge-retry-after/overflow';
    site.route(path, (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '3000000' });
      res.end('down');
    });
    retries = [];
    // No collector can say this (the schema caps maxDelaySeconds at 900); a timer given 3e9 ms would fire at once.
    const policy = localPolicy({ retry: { ...localPolicy().retry, attempts: 10, maxDelayMs: 10_000_000_000 } });
    const controller = new AbortController();
    const pending = fetcher.fetch(get(site.at(path)), policy, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort(new Error('test over'));
    await expect(pending).rejects.toThrow('test over');
    expect(retries.map((r) => r.delayMs)).toEqual([2 ** 31 - 1]);
    expect(site.hits(path)).toBe(1);
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
    const err = await fetcher
      .fetch(get(`http://127.0.0.1:${port}/`), localPolicy({ retry: { ...localPolicy().retry, attempts: 1 } }))
      .catch((e: unknown) => e);
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
    // Each try waited for its whole timeout (a lower bound, so a busy machine cannot break it) ...
    expect(elapsed).toBeGreaterThanOrEqual(480);
    // ... and gave up then: two tries of 250 ms and one short backoff, nothing else waited on.
    expect(retries).toHaveLength(1);
    expect(retries[0]!.error).toBeInstanceOf(TimeoutError);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(20);
  });

  it('times out a server that never answers', async () => {
    const err = await failure('/stall-headers', quick(0));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(site.hits('/stall-headers')).toBe(1);
  });

  it('succeeds when the stall does not repeat', async () => {
    // The second try must answer within the timeout: 1 s, so that a busy machine does not time out a healthy page too.
    const res = await fetcher.fetch(
      get(site.at('/stall-then-ok/x')),
      localPolicy({ timeoutMs: 1_000, retry: { ...localPolicy().retry, attempts: 2 } }),
    );
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
  });
});

/** Whether `promise` settles before the event loop moves on to its next phase (no timer, no I/O in between). */
async function settlesThisTurn(promise: Promise<unknown>): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
}

describe("the caller's signal", () => {
  it('aborts a request in flight, without retrying', async () => {
    retries = [];
    const controller = new AbortController();
    // The server sees the request, cancels the run, and would answer only 5 s later (or never, were the request left hanging).
    let answeredBeforeClose: boolean | undefined;
    site.route('/hold/in-flight', (_req, res) => {
      controller.abort(new Error('run cancelled'));
      const late = setTimeout(() => res.end('too late'), 5_000);
      res.on('close', () => {
        clearTimeout(late);
        answeredBeforeClose = res.writableEnded;
      });
    });
    const err = await fetcher
      .fetch(get(site.at('/hold/in-flight')), localPolicy({ timeoutMs: 10_000 }), controller.signal)
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('run cancelled');
    expect(retries).toHaveLength(0);
    expect(site.hits('/hold/in-flight')).toBe(1);
    // The fetcher hung up on the server before any answer came: it did not sit the request out.
    await vi.waitUntil(() => answeredBeforeClose !== undefined, { timeout: 30_000 });
    expect(answeredBeforeClose).toBe(false);
  });

  it('aborts the wait between retries', async () => {
    const controller = new AbortController();
    const planned: number[] = [];
    // Cancel the run just after the fetcher has started its 60 s wait before the retry.
    const aborting = new HttpFetcher({
      onRetry: (info) => {
        planned.push(info.delayMs);
        queueMicrotask(() => controller.abort(new Error('stop')));
      },
    });
    const aborted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    try {
      const policy = localPolicy({ retry: { ...localPolicy().retry, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const pending = aborting.fetch(get(site.at('/retry-after/seconds/abort?after=60')), policy, controller.signal);
      await aborted;
      // The wait ends with the abort, in the same turn of the event loop: it was cut short, not sat out.
      expect(await settlesThisTurn(pending)).toBe(true);
      await expect(pending).rejects.toThrow('stop');
      expect(planned).toEqual([60_000]);
      expect(site.hits('/retry-after/seconds/abort')).toBe(1);
    } finally {
      await aborting.close();
    }
  });
});
