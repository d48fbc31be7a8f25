// The network guard: a collector may not reach loopback, private, link-local,
// unique-local or otherwise non-public addresses unless the policy opens them,
// and it may never reach a cloud metadata endpoint (169.254.169.254,
// fd00:ec2::254, ECS's 169.254.170.2, EKS Pod Identity's 169.254.170.23 and
// fd00:ec2::23, in any spelling), whatever `network.allow` or
// `--allow-private-network` say: language/network.ts lists them. URLs are
// checked on every hop (IP literals never reach a resolver), and names are
// checked on the addresses they resolve to at connect time, through
// `guardedLookup`, so a name that re-resolves to a private address (DNS
// rebinding) is caught too.
import dns from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import { BlockedAddressError, InvalidAllowEntryError, InvalidRequestError } from './errors.ts';
import { cidrContains, formatIp, parseCidr, parseIp, unmapIPv4 } from '../../language/ip.ts';
import type { Cidr, Ip } from '../../language/ip.ts';
import { metadataEndpointAt, parseAllowEntry, type MetadataEndpoint } from '../../language/network.ts';
import type { FetchPolicy } from './types.ts';

export type GuardPolicy = Pick<FetchPolicy, 'allowPrivateNetwork' | 'allow'>;

export type GuardVerdict =
  | { allowed: true /** A host name: its addresses are checked when it is resolved. */; resolve: boolean }
  | { allowed: false; reason: string /** A cloud metadata endpoint: nothing opens it. */; metadata?: true };

function range(text: string, reason: string): { range: Cidr; reason: string } {
  const parsed = parseCidr(text);
  if (parsed === undefined) throw new Error(`bad built-in range ${text}`);
  return { range: parsed, reason };
}

// First match wins, so the narrower, better-named ranges come first.
const blockedRanges: readonly { range: Cidr; reason: string }[] = [
  range('0.0.0.0/8', 'an unspecified ("this network") address'),
  range('10.0.0.0/8', 'a private address (RFC 1918)'),
  range('100.64.0.0/10', 'a shared (carrier-grade NAT) address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('169.254.0.0/16', 'a link-local address (cloud metadata lives here)'),
  range('172.16.0.0/12', 'a private address (RFC 1918)'),
  range('192.0.0.0/24', 'an IETF protocol assignment address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('192.88.99.0/24', 'a 6to4 relay address'),
  range('192.168.0.0/16', 'a private address (RFC 1918)'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', 'a reserved or broadcast address'),
  range('::/128', 'the unspecified address'),
  range('::1/128', 'a loopback address'),
  range('::/96', 'an IPv4-compatible (deprecated) address'),
  range('64:ff9b:1::/48', 'a local-use NAT64 address'),
  range('100::/64', 'a discard-only address'),
  range('2001:db8::/32', 'a documentation address'),
  range('2001::/23', 'an IETF protocol assignment address (Teredo, benchmarking)'),
  range('3fff::/20', 'a documentation address'),
  range('fc00::/7', 'a unique-local address'),
  range('fe80::/10', 'a link-local address'),
  range('fec0::/10', 'a site-local (deprecated) address'),
  range('ff00::/8', 'a multicast address'),
];

const globalUnicast = range('2000::/3', '').range;
const nat64 = range('64:ff9b::/96', '').range;
const sixToFour = range('2002::/16', '').range;

/** Why an address is not public, or undefined when it is. IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as IPv4. */
function nonPublicReason(address: Ip): string | undefined {
  const ip = unmapIPv4(address);
  if (ip.version === 6) {
    if (cidrContains(nat64, ip)) return embeddedReason(ip.words[6]! * 0x10000 + ip.words[7]!, 'NAT64');
    if (cidrContains(sixToFour, ip)) return embeddedReason(ip.words[1]! * 0x10000 + ip.words[2]!, '6to4');
  }
  for (const entry of blockedRanges) if (cidrContains(entry.range, ip)) return entry.reason;
  if (ip.version === 6 && !cidrContains(globalUnicast, ip)) return 'not a global unicast address';
  return undefined;
}

function embeddedReason(v4: number, via: string): string | undefined {
  const reason = nonPublicReason({ version: 4, value: v4 });
  return reason === undefined ? undefined : `${reason} (${via})`;
}

/** The policy's `allow` list, read once. */
export interface AllowList {
  hosts: ReadonlySet<string>;
  ranges: readonly Cidr[];
}

export function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of entries) {
    const entry = parseAllowEntry(raw);
    if (entry.kind === 'invalid') throw new InvalidAllowEntryError(raw, entry.reason);
    if (entry.kind === 'range') ranges.push(entry.range);
    else hosts.add(entry.host);
  }
  return { hosts, ranges };
}

/** Why a metadata endpoint is refused: the same words for every spelling, allow entry and flag. */
function metadataReason(endpoint: MetadataEndpoint): string {
  return `a cloud metadata endpoint (${endpoint.address}: ${endpoint.what})`;
}

/** The verdict on a metadata endpoint, or undefined for any other address. */
function metadataVerdict(ip: Ip): GuardVerdict | undefined {
  const endpoint = metadataEndpointAt(ip);
  return endpoint === undefined ? undefined : { allowed: false, reason: metadataReason(endpoint), metadata: true };
}

/** A guard for one policy: `allow` parsed once, verdicts for URLs, addresses and resolved names. */
export class NetworkGuard {
  readonly open: boolean;
  readonly #allow: AllowList;

  constructor(policy: GuardPolicy) {
    this.open = policy.allowPrivateNetwork;
    this.#allow = parseAllowList(policy.allow);
  }

  checkAddress(address: string): GuardVerdict {
    const parsed = parseIp(address);
    if (parsed === undefined) return this.open ? { allowed: true, resolve: false } : { allowed: false, reason: 'not an IP address' };
    const ip = unmapIPv4(parsed);
    // Before the flag and the allow list: no policy opens a metadata endpoint.
    const metadata = metadataVerdict(ip);
    if (metadata) return metadata;
    if (this.open) return { allowed: true, resolve: false };
    for (const allowed of this.#allow.ranges) if (cidrContains(allowed, ip)) return { allowed: true, resolve: false };
    const reason = nonPublicReason(ip);
    return reason === undefined ? { allowed: true, resolve: false } : { allowed: false, reason };
  }

  /**
   * The verdict on an address a name resolved to: a name listed in `allow` (or
   * any name, with the network open) may resolve to anything but a metadata endpoint.
   */
  checkResolved(hostname: string, address: string): GuardVerdict {
    if (!this.hostAllowed(hostname)) return this.checkAddress(address);
    const parsed = parseIp(address);
    return (parsed && metadataVerdict(parsed)) ?? { allowed: true, resolve: false };
  }

  /** True when `hostname` is listed by name in `allow`: its resolved addresses are then checked only against the metadata endpoints. */
  hostAllowed(hostname: string): boolean {
    if (this.open) return true;
    const name = hostname.toLowerCase();
    return this.#allow.hosts.has(name.endsWith('.') ? name.slice(0, -1) : name);
  }

  checkUrl(url: URL): GuardVerdict {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { allowed: false, reason: `not an http or https URL (${url.protocol})` };
    }
    const host = url.hostname;
    if (host.startsWith('[') || parseIp(host) !== undefined) return this.checkAddress(host);
    return { allowed: true, resolve: !this.hostAllowed(host) };
  }

  /** Throws the error for a refused URL; returns when it may be fetched. */
  assertUrl(url: URL): void {
    const verdict = this.checkUrl(url);
    if (verdict.allowed) return;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequestError(url.href, verdict.reason);
    throw new BlockedAddressError(url.href, url.hostname, verdict.reason, verdict.metadata ?? false);
  }
}

const guards = new Map<string, NetworkGuard>();

/** The guard for a policy, shared by every policy with the same settings. */
export function guardFor(policy: GuardPolicy): NetworkGuard {
  const key = policy.allowPrivateNetwork ? '*' : policy.allow.join('\n');
  let guard = guards.get(key);
  if (guard === undefined) {
    guard = new NetworkGuard(policy);
    // Policies come from a handful of collectors; the bound only stops a leak from odd callers.
    if (guards.size > 256) guards.clear();
    guards.set(key, guard);
  }
  return guard;
}

/** Pure check of one IP address against a policy. */
export function checkAddress(address: string, policy: GuardPolicy): GuardVerdict {
  return guardFor(policy).checkAddress(address);
}

/** Pure check of a URL against a policy: scheme, and its host when that is an IP literal. */
export function checkUrl(url: string | URL, policy: GuardPolicy): GuardVerdict {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return { allowed: false, reason: 'not a valid URL' };
  }
  return guardFor(policy).checkUrl(parsed);
}

/** Resolves a name to all its addresses (dns.lookup by default; tests inject their own). */
export type Resolver = (hostname: string, options: { family?: number | undefined; hints?: number | undefined }) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname, options) =>
  dns.promises.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 });

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that refuses names resolving to addresses the
 * guard forbids. Every pool uses one, the open ones too: a name may resolve to
 * a metadata endpoint.
 */
export function guardedLookup(guard: NetworkGuard, resolver: Resolver = systemResolver) {
  return (hostname: string, options: LookupOptions | LookupAllOptions, callback: LookupCallback): void => {
    const family = typeof options.family === 'number' ? options.family : undefined;
    resolver(hostname, { family, hints: options.hints }).then(
      (addresses) => {
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '');
          return;
        }
        for (const { address } of addresses) {
          const verdict = guard.checkResolved(hostname, address);
          if (!verdict.allowed) {
            const shown = formatResolved(hostname, address);
            callback(new BlockedAddressError(hostname, shown, verdict.reason, verdict.metadata ?? false), '');
            return;
          }
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

function formatResolved(hostname: string, address: string): string {
  const ip = parseIp(address);
  return `${hostname} (${ip === undefined ? address : formatIp(unmapIPv4(ip))})`;
}
