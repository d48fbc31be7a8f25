import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError, RedirectLoopError, TooManyRedirectsError } from '../../runtime/core/fetch/errors.ts';
import { ACCEPT_ENCODING, HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';
import type { FetchRequest } from '../../runtime/core/fetch/types.ts';
import { PAGE_HTML, startFaultSite } from '../helpers/fault-site.ts';
import type { FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

let site: FaultSite;
let other: FaultSite;
const fetcher = new HttpFetcher();

beforeAll(async () => {
  [site, other] = await Promise.all([startFaultSite(), startFaultSite()]);
});
afterAll(async () => {
  await fetcher.close();
  await Promise.all([site.close(), other.close()]);
});

interface Echo {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const echo = async (request: FetchRequest): Promise<Echo> => JSON.parse((await fetcher.fetch(request, localPolicy())).text) as Echo;
const redirectTo = (url: string, status: number) => site.at(`/redirect/to?status=${status}&url=${encodeURIComponent(url)}`);

describe('a plain fetch', () => {
  it('returns status, lower-cased headers, decoded text and timings', async () => {
    const before = Date.now();
    const res = await fetcher.fetch(get(site.at('/ok')), localPolicy());
    expect(res).toMatchObject({ url: site.at('/ok'), status: 200, text: PAGE_HTML, attempts: 1, acceptedEmpty: false });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.bytes).toBe(Buffer.byteLength(PAGE_HTML));
    expect(Date.parse(res.fetchedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('sends the policy User-Agent and Accept-Encoding unless the request has its own', async () => {
    const plain = await echo(get(site.at('/echo')));
    expect(plain.headers['user-agent']).toBe(resolveRequest().userAgent);
    expect(plain.headers['accept-encoding']).toBe(ACCEPT_ENCODING);
    const own = await echo(get(site.at('/echo'), { 'User-Agent': 'mine/2', Accept: 'application/json' }));
    expect(own.headers['user-agent']).toBe('mine/2');
    expect(own.headers.accept).toBe('application/json');
  });

  it('sends a body with its method', async () => {
    const seen = await echo({
      url: site.at('/echo'),
      method: 'post',
      headers: { 'content-type': 'application/json' },
      body: '{"q":"books"}',
    });
    expect(seen).toMatchObject({ method: 'POST', body: '{"q":"books"}' });
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('joins repeated response headers', async () => {
    site.route('/cookies', (_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
    const res = await fetcher.fetch(get(site.at('/cookies')), localPolicy());
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
  });

  it('answers HEAD with an empty text', async () => {
    const res = await fetcher.fetch({ url: site.at('/ok'), method: 'HEAD', headers: {} }, localPolicy());
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('reuses kept-alive connections', async () => {
    site.reset();
    for (let i = 0; i < 20; i++) await fetcher.fetch(get(site.at('/json')), localPolicy());
    // Error bodies are drained too, so their connections come back to the pool.
    for (let i = 0; i < 5; i++) await fetcher.fetch(get(site.at('/status/404')), localPolicy({ acceptStatuses: [404] }));
    expect(site.hits('/json')).toBe(20);
    expect(site.connections()).toBe(1);
  });

  it('refuses an unparsable URL', async () => {
    await expect(fetcher.fetch(get('http//nope'), localPolicy())).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('counts what it did', async () => {
    const counting = new HttpFetcher();
    await counting.fetch(get(site.at('/flaky/count?fails=1')), localPolicy());
    await counting.fetch(get(site.at('/redirect/chain/2')), localPolicy());
    await counting.fetch(get(site.at('/status/400')), localPolicy()).catch(() => undefined);
    expect(counting.stats).toEqual({ requests: 3, exchanges: 6, retries: 1, failures: 1, bytes: 2 * Buffer.byteLength(PAGE_HTML) });
    await counting.close();
    await expect(counting.fetch(get(site.at('/ok')), localPolicy())).rejects.toThrow(/closed/);
  });
});

describe('redirects', () => {
  it('follows a chain and reports the final URL', async () => {
    const res = await fetcher.fetch(get(site.at('/redirect/chain/3')), localPolicy());
    expect(res.status).toBe(200);
    expect(res.url).toBe(site.at('/redirect/chain/0'));
    expect(res.attempts).toBe(1);
  });

  it('stops after maxRedirects', async () => {
    expect((await fetcher.fetch(get(site.at('/redirect/chain/10')), localPolicy())).status).toBe(200);
    const err = await fetcher.fetch(get(site.at('/redirect/chain/11')), localPolicy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRedirectsError);
    expect((err as TooManyRedirectsError).chain).toHaveLength(12);
    await expect(fetcher.fetch(get(site.at('/redirect/chain/3')), localPolicy({ maxRedirects: 2 }))).rejects.toBeInstanceOf(
      TooManyRedirectsError,
    );
  });

  it('detects a loop, without retrying it', async () => {
    site.reset();
    const err = await fetcher.fetch(get(site.at('/redirect/loop')), localPolicy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectLoopError);
    expect((err as RedirectLoopError).chain).toEqual([site.at('/redirect/loop'), site.at('/redirect/loop-b'), site.at('/redirect/loop')]);
    expect(site.hits('/redirect/loop')).toBe(1);
    expect(site.hits('/redirect/loop-b')).toBe(1);
    await expect(fetcher.fetch(get(site.at('/redirect/self')), localPolicy())).rejects.toBeInstanceOf(RedirectLoopError);
  });

  it.each([301, 302, 303])('turns a POST into a GET without body on %i', async (status) => {
    const seen = await echo({
      url: redirectTo('/echo', status),
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(seen).toMatchObject({ method: 'GET', body: '' });
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it.each([307, 308])('keeps method and body on %i', async (status) => {
    const seen = await echo({
      url: redirectTo('/echo', status),
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(seen).toMatchObject({ method: 'POST', body: 'payload' });
  });

  it('keeps credentials on the same origin and drops them on another', async () => {
    const headers = { authorization: 'Bearer secret', cookie: 'session=1', accept: 'text/html' };
    const same = await echo(get(redirectTo('/echo', 302), headers));
    expect(same.headers.authorization).toBe('Bearer secret');
    const cross = await echo(get(redirectTo(other.at('/echo'), 302), headers));
    expect(cross.headers.authorization).toBeUndefined();
    expect(cross.headers.cookie).toBeUndefined();
    expect(cross.headers.accept).toBe('text/html');
  });
});
