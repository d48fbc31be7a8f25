// Every request a rendered page makes passes the network guard: its scripts'
// fetches, its images, a redirect of one of them and a redirect of the page
// itself. The evidence is on the server's side: a canary on a loopback address
// the collector may not reach counts what arrives, and nothing does; with the
// private network opened, the same page reaches it (so the canary would see a
// leak), while the metadata endpoint stays refused whatever is opened.
//
// The site is reached by a name (site.test) that the collector's network.allow
// opens and the test's resolver points at 127.0.0.1; the canary is 127.0.0.1
// itself, which nothing opens. Both the route and the guard proxy resolve names
// with that resolver; Chromium resolves nothing itself (everything goes through
// the proxy).
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserFetcher } from '../../runtime/core/browser/browser-layer.ts';
import { closeSharedBrowser, keepBrowserWarm } from '../../runtime/core/browser/browser-process.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { BlockedAddressError } from '../../runtime/core/fetch/errors.ts';
import type { Resolver } from '../../runtime/core/fetch/guard.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { startCanary, startRenderedSite, type RenderedSite } from './site.ts';

let site: RenderedSite;
let canary: Awaited<ReturnType<typeof startCanary>>;
const names: Record<string, string> = { 'site.test': '127.0.0.1', 'metadata.test': '169.254.169.254' };
const resolver: Resolver = async (hostname) => {
  const address = names[hostname];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 } satisfies LookupAddress];
};

beforeAll(async () => {
  canary = await startCanary();
  site = await startRenderedSite({ canaryUrl: canary.url });
  keepBrowserWarm();
});
afterAll(async () => {
  await closeSharedBrowser();
  await site.close();
  await canary.close();
});

function fetcherFor(allowPrivateNetwork: boolean) {
  const spec = resolveCollector({
    name: 'hostile',
    start: { urls: [`http://site.test:${site.port}/hostile`] },
    network: { allow: ['site.test'] },
    browser: { wait: { selector: 'li.item', timeoutSeconds: 20 } },
    request: { retries: { attempts: 0 } },
    extract: { items: 'li.item', fields: { name: 'a' } },
    output: 's3://test-bucket/hostile',
  });
  const compiled = compileCollector(spec, { allowPrivateNetwork });
  const base = new HttpFetcher({ resolver });
  const fetcher = new BrowserFetcher(base, { compiled, secrets: new SecretResolver({}) }, { resolver });
  return {
    fetcher,
    load: (path: string) => fetcher.fetch({ url: `http://site.test:${site.port}${path}`, method: 'GET', headers: {} }, compiled.policy),
    close: async () => {
      await fetcher.close();
      await base.close();
    },
  };
}

describe('the network guard in the browser', () => {
  it('refuses the metadata endpoint, private and loopback addresses and a redirect into them: nothing reaches the canary', async () => {
    const { fetcher, load, close } = fetcherFor(false);
    try {
      const page = await load('/hostile');
      expect(page.status).toBe(200);
      // The script went on after its fetches failed and rendered its item.
      expect(page.text).toContain('<li class="item">');
      // 169.254.169.254, 10.0.0.1, the canary's /steal, and /to-canary's redirect to the canary.
      expect(fetcher.stats.refused).toBeGreaterThanOrEqual(4);
      expect(fetcher.stats.blocked).toBeGreaterThanOrEqual(1); // the canary <img>: images are not loaded at all

      // The page itself redirecting into a loopback address fails, with the guard's reason.
      const err = await load('/to-canary').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect((err as BlockedAddressError).message).toMatch(/loopback address/);
    } finally {
      await close();
    }
    expect(canary.hits).toEqual([]);
    // The site saw the page and the same-origin redirect, so the page did run its script.
    expect(site.hits('/hostile')).toHaveLength(1);
    expect(site.hits('/to-canary').length).toBeGreaterThanOrEqual(2);
  });

  it('lets the private network in when opened, never the metadata endpoint, by address or by name', async () => {
    const { fetcher, load, close } = fetcherFor(true);
    try {
      await load('/hostile');
      // The canary now sees the script's fetch and the redirect: the test above would have seen a leak.
      expect(canary.hits).toEqual(expect.arrayContaining(['/steal', '/redirected']));
      expect(fetcher.stats.refused).toBeGreaterThanOrEqual(1); // 169.254.169.254 stays closed

      const err = await fetcher
        .fetch({ url: 'http://metadata.test/latest/meta-data/', method: 'GET', headers: {} }, fetcherPolicy(true))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect((err as BlockedAddressError).metadata).toBe(true);
      expect((err as BlockedAddressError).message).toMatch(/cloud metadata endpoint \(169\.254\.169\.254/);
    } finally {
      await close();
      canary.hits.length = 0;
    }
  });
});

function fetcherPolicy(allowPrivateNetwork: boolean) {
  return compileCollector(
    resolveCollector({ name: 'm', start: { urls: ['http://metadata.test/'] }, extract: { fields: { a: 'a' } }, output: 's3://b/m' }),
    { allowPrivateNetwork },
  ).policy;
}
