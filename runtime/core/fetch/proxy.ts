// Requests through an HTTP proxy (undici's ProxyAgent), with the network guard
// still in force: the proxy would otherwise open any address to us, so the
// target's name is resolved here and each address checked before the request
// leaves (a metadata endpoint or a private address is refused as without a
// proxy), and the proxy's own address is checked like any target (a loopback
// proxy needs network.allow or --allow-private-network). http targets go to the
// proxy as absolute-form requests, https targets through a CONNECT tunnel.
// A proxy URL may hold credentials: it never appears in an error message.
import dns from 'node:dns';
import { ProxyAgent } from 'undici';
import { parseIp } from '../../language/ip.ts';
import { BlockedAddressError, InvalidRequestError, NetworkError } from './errors.ts';
import { guardedLookup, type NetworkGuard, type Resolver } from './guard.ts';

export interface ProxyAgentOptions {
  resolver?: Resolver | undefined;
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
}

const systemResolver: Resolver = (hostname, options) =>
  dns.promises.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 });

/** The proxy URL, parsed: http or https, or an error that does not repeat the URL. */
export function parseProxyUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidRequestError('request.proxy', 'the proxy is not a valid URL (write http://host:port)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidRequestError('request.proxy', `the proxy must be an http or https URL, not ${url.protocol}`);
  }
  return url;
}

/** A pool through the proxy; the proxy's name is checked by the guard when it is resolved. */
export function createProxyAgent(proxy: URL, guard: NetworkGuard, options: ProxyAgentOptions): ProxyAgent {
  return new ProxyAgent({
    uri: proxy.href,
    // Plain http targets as absolute-form requests (what proxies expect of them); https ones tunnel.
    proxyTunnel: false,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    proxyTls: { timeout: options.connectTimeoutMs, lookup: guardedLookup(guard, options.resolver) },
    requestTls: { timeout: options.connectTimeoutMs },
  });
}

/**
 * Throws unless the request to `target` may go through `proxy`: the proxy's address (an IP
 * literal; a name is checked when it is resolved) and every address the target's name resolves to.
 * The target URL itself (its scheme, an IP literal) has passed the guard already.
 */
export async function assertProxiedTarget(
  guard: NetworkGuard,
  proxy: URL,
  target: URL,
  resolver: Resolver = systemResolver,
): Promise<void> {
  const proxyVerdict = guard.checkUrl(proxy);
  if (!proxyVerdict.allowed) {
    throw new BlockedAddressError(target.href, `the proxy ${proxy.hostname}`, proxyVerdict.reason, proxyVerdict.metadata ?? false);
  }
  const host = target.hostname;
  // An IP literal was judged with the URL.
  if (host.startsWith('[') || parseIp(host) !== undefined) return;
  let addresses: { address: string }[];
  try {
    addresses = await resolver(host, {});
  } catch (err) {
    // The proxy might resolve it, but then the guard could not see where it leads: refused, as without a proxy.
    const code = (err as { code?: unknown } | null)?.code;
    throw new NetworkError(target.href, typeof code === 'string' ? code : undefined, err);
  }
  for (const { address } of addresses) {
    const verdict = guard.checkResolved(host, address);
    if (!verdict.allowed) throw new BlockedAddressError(target.href, `${host} (${address})`, verdict.reason, verdict.metadata ?? false);
  }
}
