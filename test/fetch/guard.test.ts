import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, InvalidRequestError } from '../../runtime/core/fetch/errors.ts';
import { checkAddress, checkUrl } from '../../runtime/core/fetch/guard.ts';
import type { Resolver } from '../../runtime/core/fetch/guard.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import type { FetchRetryInfo } from '../../runtime/core/fetch/types.ts';
import { startFaultSite } from '../helpers/fault-site.ts';
import type { FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

const closed = { allowPrivateNetwork: false, allow: [] as string[] };
const open = { allowPrivateNetwork: true, allow: [] as string[] };

// Each URL is refused by default; the allow entry next to it opens it.
const refused: [url: string, allow: string][] = [
  ['http://127.0.0.1/', '127.0.0.1'],
  ['http://127.1/', '127.0.0.0/8'],
  ['http://127.0.0.1./', '127.0.0.1'],
  ['http://2130706433/', '127.0.0.1'],
  ['http://0x7f.1/', '127.0.0.1'],
  ['http://0x7f000001/', '127.0.0.1'],
  ['http://0177.0.0.1/', '127.0.0.1'],
  ['http://017700000001/', '127.0.0.1'],
  ['http://127.000.000.001/', '127.0.0.1'],
  ['http://127.255.255.254:8080/x', '127.0.0.0/8'],
  ['http://0/', '0.0.0.0/8'],
  ['http://0.0.0.0:8080/', '0.0.0.0'],
  ['http://10.0.0.1/', '10.0.0.0/8'],
  ['https://10.200.3.4:8443/admin', '10.200.0.0/16'],
  ['http://172.16.5.4/', '172.16.0.0/12'],
  ['http://172.31.255.255/', '172.16.0.0/12'],
  ['http://192.168.1.1/', '192.168.1.1'],
  ['http://100.64.0.1/', '100.64.0.0/10'],
  ['http://100.127.255.254/', '100.64.0.0/10'],
  ['http://169.254.1.1/latest/', '169.254.1.1'],
  ['http://169.254.0.1/', '169.254.0.0/16'],
  ['http://0xa9fe0101/', '169.254.1.1'],
  ['http://2851995905/', '169.254.1.1/32'],
  ['http://192.0.2.1/', '192.0.2.0/24'],
  ['http://198.18.0.1/', '198.18.0.0/15'],
  ['http://224.0.0.1/', '224.0.0.0/4'],
  ['http://255.255.255.255/', '255.255.255.255'],
  ['http://[::1]/', '::1'],
  ['http://[0:0:0:0:0:0:0:1]:8080/', '[::1]'],
  ['http://[::]/', '::'],
  ['http://[::ffff:127.0.0.1]/', '127.0.0.1'],
  ['http://[::ffff:7f00:1]/', '::ffff:127.0.0.1'],
  ['http://[::ffff:169.254.1.1]/', '169.254.1.1'],
  ['http://[0:0:0:0:0:ffff:10.1.2.3]/', '10.0.0.0/8'],
  ['http://[::127.0.0.1]/', '::/96'],
  ['http://[64:ff9b::127.0.0.1]/', '64:ff9b::/96'],
  ['http://[2002:7f00:1::]/', '2002::/16'],
  ['http://[fc00::1]/', 'fc00::/7'],
  ['http://[fd12:3456:789a::1]/', 'fd00::/8'],
  ['http://[fe80::1]/', 'fe80::/10'],
  ['http://[ff02::1]/', 'ff00::/8'],
  ['http://[2001:db8::1]/', '2001:db8::/32'],
];

// Cloud metadata endpoints, in every spelling the guard reads: refused by default, with the network open, and
// with an allow entry that covers them (the second column), which a collector can no longer write.
const metadataUrls: [url: string, allow: string][] = [
  ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
  ['http://169.254.169.254:80/latest/api/token', '169.254.0.0/16'],
  ['http://0xa9fea9fe/', '0.0.0.0/0'],
  ['http://2852039166/', '169.254.169.254/32'],
  ['http://0251.0376.0251.0376/', '169.254.169.0/24'],
  ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
  ['http://169.254.43518/', '169.254.169.254'],
  ['http://[::ffff:169.254.169.254]/', '::ffff:0:0/96'],
  ['http://[::ffff:a9fe:a9fe]/', '::/0'],
  ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::/96'],
  ['http://[64:ff9b::169.254.169.254]/', '64:ff9b::/96'],
  ['http://[2002:a9fe:a9fe::1]/', '2002::/16'],
  ['http://[::169.254.169.254]/', '::/96'],
  ['http://[::ffff:0:a9fe:a9fe]/', '::/64'],
  ['http://[2001:0:4136:e378:8000:63bf:5601:5601]/', '2001::/32'],
  ['http://[fd00:ec2::254]/latest/meta-data/', 'fd00::/8'],
  ['http://[fd00:0ec2:0:0:0:0:0:254]/', 'fc00::/7'],
  ['http://169.254.170.2/v2/credentials/abc', '169.254.170.0/24'],
  ['http://[::ffff:169.254.170.2]/', '169.254.170.2'],
  ['http://169.254.170.23/v1/credentials', '169.254.170.23'],
  ['http://[64:ff9b::a9fe:aa17]/', '64:ff9b::/96'],
  ['http://[fd00:ec2::23]/v1/credentials', 'fd00:ec2::/32'],
];

const publicUrls = [
  'http://93.184.216.34/',
  'https://1.1.1.1/dns-query',
  'http://8.8.8.8:8080/',
  'http://172.32.0.1/',
  'http://100.128.0.1/',
  'http://169.255.0.1/',
  'http://[2606:4700:4700::1111]/',
  'http://[::ffff:8.8.8.8]/',
  'http://[64:ff9b::808:808]/',
  'http://[2002:808:808::1]/',
];

describe('checkUrl (no sockets)', () => {
  it.each(refused)('refuses %s by default', (url) => {
    const verdict = checkUrl(url, closed);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toMatch(/address/);
  });

  it.each(refused)('allows %s with allowPrivateNetwork', (url) => {
    expect(checkUrl(url, open).allowed).toBe(true);
  });

  it.each(refused)('allows %s when allow lists %s', (url, allow) => {
    expect(checkUrl(url, { allowPrivateNetwork: false, allow: [allow] }).allowed).toBe(true);
    // An unrelated allow entry opens nothing.
    expect(checkUrl(url, { allowPrivateNetwork: false, allow: ['203.0.113.7', 'example.org'] }).allowed).toBe(false);
  });

  it.each(metadataUrls)('refuses the metadata endpoint %s by default, with the network open, and when allow lists %s', (url, allow) => {
    for (const policy of [closed, open, { allowPrivateNetwork: false, allow: [allow] }, { allowPrivateNetwork: true, allow: [allow] }]) {
      const verdict = checkUrl(url, policy);
      expect(verdict).toEqual({
        allowed: false,
        reason: expect.stringMatching(/^a cloud metadata endpoint \((169\.254\.|fd00:ec2::)/),
        metadata: true,
      });
    }
  });

  it.each(publicUrls)('allows the public %s', (url) => {
    expect(checkUrl(url, closed)).toEqual({ allowed: true, resolve: false });
  });

  it('leaves names to the resolver unless allow lists them', () => {
    expect(checkUrl('https://example.com/', closed)).toEqual({ allowed: true, resolve: true });
    expect(checkUrl('http://localhost:8080/', closed)).toEqual({ allowed: true, resolve: true });
    expect(checkUrl('http://Intranet.Local./x', { allowPrivateNetwork: false, allow: ['intranet.local'] })).toEqual({
      allowed: true,
      resolve: false,
    });
  });

  it('refuses other schemes and unparsable URLs even with the network open', () => {
    for (const url of ['file:///etc/passwd', 'ftp://10.0.0.1/', 'gopher://127.0.0.1:25/', 'javascript:alert(1)', 'not a url']) {
      expect(checkUrl(url, open).allowed).toBe(false);
    }
  });
});

describe('checkAddress (resolved addresses)', () => {
  it('refuses non-public addresses as a resolver returns them', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '169.254.169.254', 'fe80::1%eth0', 'fd00::5', '0.0.0.0', '::']) {
      expect(checkAddress(ip, closed).allowed).toBe(false);
    }
  });

  it('allows public addresses, and private ones inside an allowed range', () => {
    expect(checkAddress('93.184.216.34', closed).allowed).toBe(true);
    expect(checkAddress('2a00:1450:4001:82b::200e', closed).allowed).toBe(true);
    expect(checkAddress('10.9.8.7', { allowPrivateNetwork: false, allow: ['10.9.0.0/16'] }).allowed).toBe(true);
    expect(checkAddress('10.10.8.7', { allowPrivateNetwork: false, allow: ['10.9.0.0/16'] }).allowed).toBe(false);
    expect(checkAddress('::ffff:10.9.8.7', { allowPrivateNetwork: false, allow: ['10.9.0.0/16'] }).allowed).toBe(true);
  });

  it('refuses metadata endpoints as a resolver returns them, whatever the policy', () => {
    const wide = { allowPrivateNetwork: false, allow: ['0.0.0.0/0', '::/0'] };
    for (const ip of [
      '169.254.169.254',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      'fd00:ec2::254',
      '169.254.170.2',
      '169.254.170.23',
      'fd00:ec2::23',
    ]) {
      for (const policy of [closed, open, wide]) expect(checkAddress(ip, policy)).toMatchObject({ allowed: false, metadata: true });
    }
    // Their neighbours are ordinary link-local and unique-local addresses, which allow opens.
    for (const ip of ['169.254.169.253', '169.254.170.3', 'fd00:ec2::255'])
      expect(checkAddress(ip, wide)).toEqual({ allowed: true, resolve: false });
  });

  it('names what an address is', () => {
    expect(checkAddress('169.254.1.1', closed)).toEqual({ allowed: false, reason: expect.stringMatching(/link-local/) });
    expect(checkAddress('169.254.169.254', closed)).toEqual({
      allowed: false,
      reason: 'a cloud metadata endpoint (169.254.169.254: instance metadata and role credentials)',
      metadata: true,
    });
    expect(checkAddress('100.64.1.1', closed)).toEqual({ allowed: false, reason: expect.stringMatching(/carrier-grade NAT/) });
    expect(checkAddress('not-an-ip', closed)).toEqual({ allowed: false, reason: 'not an IP address' });
  });
});

describe('the guard on real requests', () => {
  let site: FaultSite;
  beforeAll(async () => {
    site = await startFaultSite();
  });
  afterAll(async () => {
    await site.close();
  });

  async function attempt(url: string, policy = localPolicy(), resolver?: Resolver) {
    const retries: FetchRetryInfo[] = [];
    const fetcher = new HttpFetcher({ onRetry: (info) => retries.push(info), ...(resolver ? { resolver } : {}) });
    try {
      return { response: await fetcher.fetch(get(url), policy), error: undefined, retries };
    } catch (error) {
      return { response: undefined, error, retries };
    } finally {
      await fetcher.close();
    }
  }

  it('refuses the local site by default, before connecting, without retrying', async () => {
    site.reset();
    const { error, retries } = await attempt(site.at('/ok'), localPolicy({ allow: [] }));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).url).toBe(site.at('/ok'));
    expect(retries).toHaveLength(0);
    expect(site.hits('/ok')).toBe(0);
  });

  it('refuses a name that resolves to loopback (localhost), at connect time', async () => {
    site.reset();
    const url = `http://localhost:${site.port}/ok`;
    const { error } = await attempt(url, localPolicy({ allow: [] }));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).url).toBe(url);
    expect((error as Error).message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    expect(site.hits('/ok')).toBe(0);
  });

  it('lets localhost through when allow names it, or with allowPrivateNetwork', async () => {
    const byName = await attempt(`http://localhost:${site.port}/ok`, localPolicy({ allow: ['localhost'] }));
    expect(byName.response?.status).toBe(200);
    const openAll = await attempt(`http://localhost:${site.port}/ok`, localPolicy({ allow: [], allowPrivateNetwork: true }));
    expect(openAll.response?.status).toBe(200);
  });

  it('checks the address the connection really uses (an injected resolver stands in for DNS)', async () => {
    const resolver: Resolver = async (hostname): Promise<LookupAddress[]> =>
      hostname === 'rebound.test' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }];
    site.reset();
    const url = `http://rebound.test:${site.port}/ok`;
    const refusedByDefault = await attempt(url, localPolicy({ allow: [] }), resolver);
    expect(refusedByDefault.error).toBeInstanceOf(BlockedAddressError);
    expect(site.hits('/ok')).toBe(0);
    const allowed = await attempt(url, localPolicy({ allow: ['127.0.0.1'] }), resolver);
    expect(allowed.response?.status).toBe(200);
    expect(site.hits('/ok')).toBe(1);
  });

  it.each([
    ['/redirect/loopback', /^http:\/\/127\.0\.0\.2:\d+\/ok$/],
    ['/redirect/ipv6-loopback', /^http:\/\/\[::1\]:\d+\/ok$/],
    ['/redirect/metadata', /^http:\/\/169\.254\.169\.254\/latest\/meta-data\/$/],
  ])('refuses a redirect from the allowed site (%s) into a private address', async (path, target) => {
    site.reset();
    const { error, retries } = await attempt(site.at(path));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).url).toMatch(target);
    expect(retries).toHaveLength(0);
    expect(site.hits(path)).toBe(1);
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const resolver: Resolver = async () => [{ address: '10.0.0.7', family: 4 }];
    const { error } = await attempt(
      site.at(`/redirect/to?url=${encodeURIComponent(`http://internal.test:${site.port}/ok`)}`),
      localPolicy(),
      resolver,
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toContain('internal.test (10.0.0.7)');
  });

  it('refuses a name resolving to a metadata endpoint, even one allow names, with the network open', async () => {
    const resolver: Resolver = async (hostname): Promise<LookupAddress[]> => {
      if (hostname === 'imds.test') return [{ address: '169.254.169.254', family: 4 }];
      if (hostname === 'pod.test') return [{ address: 'fd00:ec2::23', family: 6 }];
      return [{ address: '64:ff9b::a9fe:aa02', family: 6 }];
    };
    for (const [name, address] of [
      ['imds.test', '169.254.169.254'],
      ['pod.test', 'fd00:ec2::23'],
      ['nat64.test', '169.254.170.2'],
    ] as const) {
      const { error, retries } = await attempt(
        `http://${name}:${site.port}/ok`,
        localPolicy({ allowPrivateNetwork: true, allow: [name, '0.0.0.0/0'] }),
        resolver,
      );
      expect(error).toBeInstanceOf(BlockedAddressError);
      expect((error as BlockedAddressError).metadata).toBe(true);
      expect((error as Error).message).toContain(`is a cloud metadata endpoint (${address}: `);
      expect((error as Error).message).toContain('no network.allow entry and no --allow-private-network opens it');
      expect(retries).toHaveLength(0);
    }
  });

  it('refuses a redirect into the metadata endpoint with the network open and allow covering it', async () => {
    site.reset();
    const { error, retries } = await attempt(
      site.at('/redirect/metadata'),
      localPolicy({ allowPrivateNetwork: true, allow: ['0.0.0.0/0', '169.254.169.254'] }),
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ metadata: true, url: 'http://169.254.169.254/latest/meta-data/' });
    expect((error as Error).message).toMatch(
      /^refused to fetch http:\/\/169\.254\.169\.254\/latest\/meta-data\/: 169\.254\.169\.254 is a cloud metadata endpoint \(169\.254\.169\.254: instance metadata and role credentials\) \(never reachable: no network\.allow entry and no --allow-private-network opens it\)$/,
    );
    expect(retries).toHaveLength(0);
    expect(site.hits('/redirect/metadata')).toBe(1);
  });

  it('refuses a redirect to another scheme', async () => {
    const { error } = await attempt(site.at(`/redirect/to?url=${encodeURIComponent('file:///etc/passwd')}`));
    expect(error).toBeInstanceOf(InvalidRequestError);
  });
});
