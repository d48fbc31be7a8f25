// request.proxy: requests go through a real local proxy that records what it is
// asked, and the network guard still stands in front of it: private and
// metadata targets (by address, by name, by redirect) never reach the proxy,
// and the proxy's own address is judged like any target.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { collectorFetcher } from '../../runtime/core/engine/fetch-stack.ts';
import { BlockedAddressError, InvalidRequestError } from '../../runtime/core/fetch/errors.ts';
import type { Resolver } from '../../runtime/core/fetch/guard.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { ProxyFetcher } from '../../runtime/core/fetch/proxy-layer.ts';
import type { FetchPolicy, FetchRequest, Fetcher } from '../../runtime/core/fetch/types.ts';
import { REDACTED, SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { startTestProxy, type TestProxy } from '../helpers/http-proxy.ts';
import { get, localPolicy } from './support.ts';

/** Names as our side resolves them (the guard judges these); the proxy maps them to the local site itself. */
const NAMES: Record<string, string> = {
  'site.test': '93.184.216.34',
  'intranet.test': '10.1.2.3',
  'metadata.test': '169.254.169.254',
  'proxy.test': '127.0.0.1',
  'evil-proxy.test': '169.254.169.254',
};
const resolver: Resolver = async (hostname) => {
  const address = NAMES[hostname];
  if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 } satisfies LookupAddress];
};

let site: FaultSite;
let proxy: TestProxy;
const fetcher = new HttpFetcher({ resolver });
const noRetry = { ...localPolicy().retry, attempts: 0 };
/** The proxy is on loopback: opened by network.allow, as a private target would be. */
const through = (over: Partial<FetchPolicy> = {}): FetchPolicy => localPolicy({ retry: noRetry, proxy: proxy.url, ...over });
const siteName = () => `http://site.test:${site.port}`;

beforeAll(async () => {
  site = await startFaultSite();
  proxy = await startTestProxy({ hosts: { 'site.test': '127.0.0.1', 'proxy.test': '127.0.0.1' } });
});
beforeEach(() => {
  site.reset();
  proxy.requests.length = 0;
});
afterAll(async () => {
  await fetcher.close();
  await proxy.close();
  await site.close();
});

describe('through the proxy', () => {
  it('sends an http request as an absolute-form request to the proxy, which reaches the site', async () => {
    const res = await fetcher.fetch(get(`${siteName()}/echo?q=1`), through());
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { headers: Record<string, string> }).headers.host).toBe(`site.test:${site.port}`);
    expect(proxy.requests).toEqual([{ method: 'GET', target: `${siteName()}/echo?q=1`, proxyAuthorization: undefined }]);
    expect(site.hits('/echo')).toBe(1);
  });

  it('sends the credentials of the proxy URL as Proxy-Authorization, never to the site', async () => {
    const authed = await startTestProxy({
      hosts: { 'site.test': '127.0.0.1' },
      requireAuth: `Basic ${Buffer.from('bob:s3cr:t').toString('base64')}`,
    });
    try {
      const res = await fetcher.fetch(get(`${siteName()}/echo`), through({ proxy: `http://bob:s3cr%3At@127.0.0.1:${authed.port}` }));
      expect(res.status).toBe(200);
      expect(authed.requests[0]!.proxyAuthorization).toBe(`Basic ${Buffer.from('bob:s3cr:t').toString('base64')}`);
      expect((JSON.parse(res.text) as { headers: Record<string, string> }).headers['proxy-authorization']).toBeUndefined();
      const refused = await fetcher.fetch(get(`${siteName()}/echo`), through({ proxy: authed.url })).catch((e: unknown) => e);
      expect((refused as Error).message).toMatch(/407/);
    } finally {
      await authed.close();
    }
  });

  it('tunnels an https target with CONNECT', async () => {
    const err = await fetcher.fetch(get(`https://site.test:${site.port}/ok`), through()).catch((e: unknown) => e);
    // The site speaks plain http, so the TLS handshake through the tunnel fails; the tunnel was asked for.
    expect(err).toBeInstanceOf(Error);
    expect(proxy.requests[0]).toMatchObject({ method: 'CONNECT', target: `site.test:${site.port}` });
  });

  it('reaches a proxy given by name, its address checked when it is resolved', async () => {
    const res = await fetcher.fetch(get(`${siteName()}/ok`), through({ proxy: `http://proxy.test:${proxy.port}` }));
    expect(res.status).toBe(200);
    expect(proxy.requests).toHaveLength(1);
  });
});

describe('the network guard in front of the proxy', () => {
  const refusedBeforeProxy = async (url: string, policy: FetchPolicy, reason: RegExp, metadata = false) => {
    const err = await fetcher.fetch(get(url), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect((err as BlockedAddressError).message).toMatch(reason);
    expect((err as BlockedAddressError).metadata).toBe(metadata);
    expect(proxy.requests).toEqual([]);
  };

  it('refuses the metadata endpoint, even with the private network open', async () => {
    await refusedBeforeProxy('http://169.254.169.254/latest/meta-data/', through(), /cloud metadata endpoint/, true);
    await refusedBeforeProxy(
      'http://169.254.169.254/latest/meta-data/',
      through({ allowPrivateNetwork: true }),
      /cloud metadata endpoint/,
      true,
    );
  });

  it('refuses private addresses the policy does not open', async () => {
    await refusedBeforeProxy('http://10.0.0.1/admin', through(), /10\.0\.0\.1 is a private address/);
    await refusedBeforeProxy('http://[::1]:8080/', through(), /loopback/);
  });

  it('resolves a name itself and refuses it when it leads to a private or metadata address', async () => {
    await refusedBeforeProxy('http://intranet.test/', through(), /intranet\.test \(10\.1\.2\.3\) is a private address/);
    await refusedBeforeProxy(
      'http://metadata.test/',
      through({ allowPrivateNetwork: true }),
      /metadata\.test \(169\.254\.169\.254\)/,
      true,
    );
  });

  it('refuses a name that does not resolve here (the guard could not see where it leads)', async () => {
    const err = await fetcher.fetch(get('http://unknown.test/'), through()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/ENOTFOUND/);
    expect(proxy.requests).toEqual([]);
  });

  it('checks every redirect hop: a redirect to the metadata endpoint stops there', async () => {
    await expect(fetcher.fetch(get(`${siteName()}/redirect/metadata`), through())).rejects.toThrow(/cloud metadata endpoint/);
    expect(proxy.requests.map((r) => r.target)).toEqual([`${siteName()}/redirect/metadata`]);
  });

  it("judges the proxy's own address: loopback only when the policy opens it", async () => {
    const closed = localPolicy({ retry: noRetry, allow: [], proxy: proxy.url });
    await refusedBeforeProxy(`${siteName()}/ok`, closed, /the proxy 127\.0\.0\.1 is a loopback address/);
    const open = localPolicy({ retry: noRetry, allow: [], allowPrivateNetwork: true, proxy: proxy.url });
    expect((await fetcher.fetch(get(`${siteName()}/ok`), open)).status).toBe(200);
  });

  it('refuses a proxy whose name resolves to the metadata endpoint', async () => {
    const policy = through({ allowPrivateNetwork: true, proxy: 'http://evil-proxy.test:3128' });
    await expect(fetcher.fetch(get(`${siteName()}/ok`), policy)).rejects.toThrow(
      /evil-proxy\.test \(169\.254\.169\.254\) is a cloud metadata endpoint/,
    );
  });

  it('refuses a proxy that is not an http(s) URL, without repeating it', async () => {
    const err = await fetcher
      .fetch(get(`${siteName()}/ok`), through({ proxy: 'socks5://u:hidden@127.0.0.1:1080' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as Error).message).toContain('the proxy must be an http or https URL, not socks5:');
    expect((err as Error).message).not.toContain('hidden');
  });
});

describe('the proxy layer', () => {
  const PROXY_ENV = () => ({ PROXY_URL: `http://carol:pr0xy-pass@127.0.0.1:${proxy.port}` });

  it('resolves ${env:PROXY_URL} once, hands it down in the policy, and makes its credentials secrets', async () => {
    const seen: FetchPolicy[] = [];
    const spy: Fetcher = {
      fetch(request: FetchRequest, p: FetchPolicy, signal?: AbortSignal) {
        seen.push(p);
        return fetcher.fetch(request, p, signal);
      },
      close: async () => {},
    };
    const secrets = new SecretResolver(PROXY_ENV());
    const layer = new ProxyFetcher(spy, '${env:PROXY_URL}', secrets, {});
    const policy = localPolicy({ retry: noRetry });
    await layer.fetch(get(`${siteName()}/ok`), policy);
    await layer.fetch(get(`${siteName()}/json`), policy);
    expect(seen[0]!.proxy).toBe(`http://carol:pr0xy-pass@127.0.0.1:${proxy.port}/`);
    expect(seen[1]).toBe(seen[0]);
    expect(proxy.requests).toHaveLength(2);
    expect(proxy.requests[0]!.proxyAuthorization).toBe(`Basic ${Buffer.from('carol:pr0xy-pass').toString('base64')}`);
    expect(secrets.redact(`via ${seen[0]!.proxy} as pr0xy-pass`)).toBe(`via ${REDACTED} as ${REDACTED}`);
    expect(secrets.redact(proxy.requests[0]!.proxyAuthorization!)).toBe(`Basic ${REDACTED}`);
  });

  it('is in the collector stack when request.proxy is set, outside the robots layer', async () => {
    const compiled = compileCollector(
      resolveCollector({
        name: 'p',
        start: { urls: [`${siteName()}/ok`] },
        extract: { fields: { t: 'h1' } },
        request: { proxy: '${env:PROXY_URL}' },
        network: { allow: ['127.0.0.1'] },
        output: 's3://b/p',
      }),
    );
    const stack = collectorFetcher(fetcher, { compiled, secrets: new SecretResolver(PROXY_ENV()) });
    expect((await stack.fetch(get(`${siteName()}/ok`), compiled.policy)).status).toBe(200);
    // robots.txt went through the proxy too (the fault site has none: 404, everything allowed).
    expect(proxy.requests.map((r) => r.target)).toEqual([`${siteName()}/robots.txt`, `${siteName()}/ok`]);
  });

  it('says what is wrong with a proxy that is not a URL, without its value', async () => {
    const layer = new ProxyFetcher(fetcher, '${env:PROXY_URL}', new SecretResolver({ PROXY_URL: 'not a url at all' }), {});
    await expect(layer.fetch(get(`${siteName()}/ok`), localPolicy())).rejects.toThrow(
      'cannot fetch "request.proxy": the proxy is not a valid URL (write http://host:port)',
    );
  });
});
