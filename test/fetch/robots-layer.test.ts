// The robots.txt layer against real local sites: rules obeyed for pages only,
// robots.txt fetched once per origin and stack with the collector's User-Agent,
// RFC 9309's answers to a missing (4xx) and an unreachable (5xx, network error)
// robots.txt, Crawl-delay spacing seen by the server, and the layer switched off
// by `robots: ignore`.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { collectorFetcher } from '../../runtime/core/engine/fetch-stack.ts';
import { BlockedAddressError, isRetryable } from '../../runtime/core/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { RobotsDisallowedError, RobotsFetcher } from '../../runtime/core/fetch/robots-layer.ts';
import type { FetchPolicy, FetchRequest, Fetcher } from '../../runtime/core/fetch/types.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

let site: FaultSite;
let other: FaultSite;
const base = new HttpFetcher();
/** No retries: an unreachable robots.txt is judged at the first failure. */
const policy = localPolicy({ retry: { ...localPolicy().retry, attempts: 0 } });

function robotsTxt(body: string, status = 200) {
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  };
}

function pages(s: FaultSite): void {
  s.route('/p/*', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<h1>page</h1>');
  });
}

beforeAll(async () => {
  [site, other] = await Promise.all([startFaultSite(), startFaultSite()]);
  pages(site);
  pages(other);
});
beforeEach(() => {
  site.reset();
  other.reset();
});
afterAll(async () => {
  await base.close();
  await Promise.all([site.close(), other.close()]);
});

const pageHits = (s: FaultSite) => s.requests.filter((r) => r.path.startsWith('/p/')).map((r) => r.path);

describe('rules', () => {
  it('fails a disallowed page without requesting it, naming the URL and the rule; allowed pages pass', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nAllow: /p/private/open\nDisallow: /p/private/\n'));
    const robots = new RobotsFetcher(base);
    const err = await robots.fetch(get(site.at('/p/private/x')), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RobotsDisallowedError);
    const disallowed = err as RobotsDisallowedError;
    expect(disallowed.message).toBe(
      `${site.at('/p/private/x')} is disallowed by ${site.at('/robots.txt')}: Disallow: /p/private/ (robots.txt line 3); ` +
        "leave the page out, or set request.robots: ignore where the site's terms allow it",
    );
    expect(disallowed.rule).toBe('Disallow: /p/private/ (robots.txt line 3)');
    expect(disallowed.retryable).toBe(false);
    expect(isRetryable(err)).toBe(false);
    expect((await robots.fetch(get(site.at('/p/public')), policy)).text).toBe('<h1>page</h1>');
    expect((await robots.fetch(get(site.at('/p/private/open')), policy)).status).toBe(200);
    expect(pageHits(site)).toEqual(['/p/public', '/p/private/open']);
  });

  it("reads the group of the collector's User-Agent, and sends that User-Agent for robots.txt", async () => {
    site.route('/robots.txt', robotsTxt('User-agent: collect\nDisallow: /p/\n\nUser-agent: *\nAllow: /\n'));
    const robots = new RobotsFetcher(base);
    await expect(robots.fetch(get(site.at('/p/a')), policy)).rejects.toThrow(/Disallow: \/p\/ \(robots.txt line 2\)/);
    expect(site.requests.find((r) => r.path === '/robots.txt')?.headers['user-agent']).toBe(policy.userAgent);
    // A request with its own User-Agent is another robot to robots.txt.
    const own = new RobotsFetcher(base);
    site.reset();
    expect((await own.fetch(get(site.at('/p/a'), { 'User-Agent': 'otherbot/2.0' }), policy)).status).toBe(200);
    expect(site.requests.map((r) => [r.path, r.headers['user-agent']])).toEqual([
      ['/robots.txt', 'otherbot/2.0'],
      ['/p/a', 'otherbot/2.0'],
    ]);
  });

  it('lets the requests of layers (role support) through unchecked', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /\n'));
    const robots = new RobotsFetcher(base);
    const res = await robots.fetch({ ...get(site.at('/p/token')), role: 'support' }, policy);
    expect(res.status).toBe(200);
    expect(site.hits('/robots.txt')).toBe(0);
    await expect(robots.fetch(get(site.at('/p/page')), policy)).rejects.toBeInstanceOf(RobotsDisallowedError);
  });
});

describe('robots.txt fetched once per origin and stack', () => {
  it('once for many pages, concurrent and later ones; once more for another origin; again for a new stack', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /p/no\n'));
    other.route('/robots.txt', robotsTxt('User-agent: *\nDisallow:\n'));
    const robots = new RobotsFetcher(base);
    await Promise.all(Array.from({ length: 6 }, (_, i) => robots.fetch(get(site.at(`/p/${i}`)), policy)));
    for (let i = 0; i < 3; i++) await robots.fetch(get(other.at(`/p/${i}`)), policy);
    await expect(robots.fetch(get(site.at('/p/no')), policy)).rejects.toBeInstanceOf(RobotsDisallowedError);
    expect(site.hits('/robots.txt')).toBe(1);
    expect(other.hits('/robots.txt')).toBe(1);
    expect(pageHits(site)).toHaveLength(6);
    await new RobotsFetcher(base).fetch(get(site.at('/p/again')), policy);
    expect(site.hits('/robots.txt')).toBe(2);
  });

  it('follows a redirect to robots.txt', async () => {
    site.route('/robots.txt', (_req, res) => {
      res.writeHead(301, { location: '/static/robots.txt', 'content-length': 0 });
      res.end();
    });
    site.route('/static/robots.txt', robotsTxt('User-agent: *\nDisallow: /p/moved\n'));
    const robots = new RobotsFetcher(base);
    await expect(robots.fetch(get(site.at('/p/moved')), policy)).rejects.toThrow(/Disallow: \/p\/moved/);
    expect((await robots.fetch(get(site.at('/p/fine')), policy)).status).toBe(200);
    expect(site.hits('/static/robots.txt')).toBe(1);
  });
});

describe('RFC 9309: robots.txt that cannot be read', () => {
  it('404 allows everything', async () => {
    site.route('/robots.txt', robotsTxt('not here', 404));
    const robots = new RobotsFetcher(base);
    expect((await robots.fetch(get(site.at('/p/a')), policy)).status).toBe(200);
    expect((await robots.fetch(get(site.at('/p/b')), policy)).status).toBe(200);
    expect(site.hits('/robots.txt')).toBe(1);
    expect(pageHits(site)).toEqual(['/p/a', '/p/b']);
  });

  it('404 allows everything even when the collector accepts 404 as an empty page', async () => {
    site.route('/robots.txt', robotsTxt('not here', 404));
    const robots = new RobotsFetcher(base);
    const accepting = localPolicy({ acceptStatuses: [404] });
    expect((await robots.fetch(get(site.at('/p/a')), accepting)).status).toBe(200);
  });

  it('500 disallows the whole host for the stack: no page is requested, robots.txt is not asked again', async () => {
    site.route('/robots.txt', robotsTxt('down', 500));
    const robots = new RobotsFetcher(base);
    const err = await robots.fetch(get(site.at('/p/a')), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RobotsDisallowedError);
    expect((err as Error).message).toContain(`the whole host, because ${site.at('/robots.txt')} answered HTTP 500`);
    await expect(robots.fetch(get(site.at('/p/b')), policy)).rejects.toBeInstanceOf(RobotsDisallowedError);
    expect(site.hits('/robots.txt')).toBe(1);
    expect(pageHits(site)).toEqual([]);
  });

  it('a network error disallows the host', async () => {
    const gone = await startFaultSite();
    const url = gone.at('/p/a');
    await gone.close();
    const robots = new RobotsFetcher(base);
    await expect(robots.fetch(get(url), policy)).rejects.toThrow(/could not be fetched \(network error/);
  });

  it("a host the network guard refuses fails with the guard's own error, naming the page", async () => {
    const robots = new RobotsFetcher(base);
    const closed = localPolicy({ allow: [], retry: policy.retry });
    const err = await robots.fetch(get(site.at('/p/a')), closed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect((err as BlockedAddressError).url).toBe(site.at('/p/a'));
    expect(site.totalHits()).toBe(0);
  });

  it('a robots.txt that redirects into the metadata endpoint disallows the host', async () => {
    site.route('/robots.txt', (_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/robots.txt', 'content-length': 0 });
      res.end();
    });
    const robots = new RobotsFetcher(base);
    await expect(robots.fetch(get(site.at('/p/a')), policy)).rejects.toThrow(
      /the whole host, because .*robots.txt could not be fetched \(refused to fetch http:\/\/169\.254\.169\.254\/robots.txt/,
    );
    expect(pageHits(site)).toEqual([]);
  });

  it('an error that is not the site answering (a replay without robots.txt) is passed on and asked again', async () => {
    let calls = 0;
    const replay: Fetcher = {
      async fetch(request: FetchRequest) {
        calls++;
        throw new Error(`GET ${request.url} is not in the recording`);
      },
      async close() {},
    };
    const robots = new RobotsFetcher(replay);
    await expect(robots.fetch(get('http://example.test/p/a'), policy)).rejects.toThrow(
      'GET http://example.test/robots.txt is not in the recording',
    );
    await expect(robots.fetch(get('http://example.test/p/b'), policy)).rejects.toThrow(/not in the recording/);
    expect(calls).toBe(2);
  });
});

describe('Crawl-delay', () => {
  it('spaces the requests to the host at least the delay apart (seen by the server)', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nCrawl-delay: 0.4\nDisallow:\n'));
    const robots = new RobotsFetcher(base);
    // Faster than the site asks, and all at once.
    const fast = localPolicy({ rateLimit: { perSecond: 100, concurrency: 8 } });
    await Promise.all(Array.from({ length: 4 }, (_, i) => robots.fetch(get(site.at(`/p/${i}`)), fast)));
    const times = site.requests.filter((r) => r.path.startsWith('/p/')).map((r) => r.at);
    expect(times).toHaveLength(4);
    // Generous lower bounds only: 0.4 s asked, 0.3 s checked.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300);
  });

  it('passes a policy no faster than 1/Crawl-delay down, and keeps a slower one', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nCrawl-delay: 0.5\n'));
    const seen: FetchPolicy[] = [];
    const spy: Fetcher = {
      fetch(request, p, signal) {
        if (request.role !== 'support') seen.push(p);
        return base.fetch(request, p, signal);
      },
      close: async () => {},
    };
    const robots = new RobotsFetcher(spy);
    const unlimited = localPolicy();
    const slow = localPolicy({ rateLimit: { perSecond: 0.1, concurrency: 1 } });
    await robots.fetch(get(site.at('/p/a')), unlimited);
    await robots.fetch(get(site.at('/p/b')), slow);
    expect(seen[0]!.rateLimit.perSecond).toBe(2);
    expect(seen[0]).not.toBe(unlimited);
    expect(seen[1]).toBe(slow);
  });
});

describe('in the collector stack', () => {
  const compiled = (robots?: 'obey' | 'ignore') =>
    compileCollector(
      resolveCollector({
        name: 'r',
        start: { urls: [site.at('/p/1')] },
        extract: { fields: { t: 'h1' } },
        output: 's3://b/p',
        ...(robots ? { request: { robots } } : {}),
      }),
      { allowPrivateNetwork: true },
    );

  it('obeys by default and skips robots.txt when `robots: ignore` is set', async () => {
    site.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /p/\n'));
    const obeying = collectorFetcher(base, { compiled: compiled(), secrets: new SecretResolver({}) });
    await expect(obeying.fetch(get(site.at('/p/1')), policy)).rejects.toBeInstanceOf(RobotsDisallowedError);
    const ignoring = collectorFetcher(base, { compiled: compiled('ignore'), secrets: new SecretResolver({}) });
    site.reset();
    expect((await ignoring.fetch(get(site.at('/p/1')), policy)).status).toBe(200);
    expect(site.hits('/robots.txt')).toBe(0);
  });
});
