// `network.allow` entries (host names, addresses, CIDR ranges) and the cloud
// metadata endpoints that no entry and no flag opens: the credentials of the
// machine, task or pod a collector runs on live behind them. The guard
// (core/fetch/guard.ts) refuses them on every hop and every resolved address;
// the lint (lint/network.ts) refuses an allow entry whose range covers one.
import { cidrContains, parseCidr, parseIp, unmapIPv4, type Cidr, type Ip } from './ip.ts';

export interface MetadataEndpoint {
  /** As people write it: `169.254.169.254`, `fd00:ec2::254`. */
  address: string;
  /** What is served there. */
  what: string;
  ip: Ip;
}

function endpoint(address: string, what: string): MetadataEndpoint {
  const ip = parseIp(address);
  if (ip === undefined) throw new Error(`bad built-in address ${address}`);
  return { address, what, ip };
}

const METADATA_ENDPOINTS: readonly MetadataEndpoint[] = [
  endpoint('169.254.169.254', 'instance metadata and role credentials'),
  endpoint('fd00:ec2::254', 'instance metadata and role credentials over IPv6'),
  endpoint('169.254.170.2', 'ECS task metadata and role credentials'),
  endpoint('169.254.170.23', 'EKS Pod Identity credentials'),
  endpoint('fd00:ec2::23', 'EKS Pod Identity credentials over IPv6'),
];

/**
 * The ways an IPv6 address carries an IPv4 one, which a host or a network
 * translates back: the IPv4 address sits in words `at` and `at + 1`, XORed with
 * `xor` (Teredo hides its client address that way).
 */
interface Embedding {
  name: string;
  prefix: readonly number[];
  bits: number;
  at: number;
  xor: number;
}

const EMBEDDINGS: readonly Embedding[] = [
  { name: 'IPv4-mapped', prefix: [0, 0, 0, 0, 0, 0xffff], bits: 96, at: 6, xor: 0 },
  { name: 'IPv4-compatible', prefix: [0, 0, 0, 0, 0, 0], bits: 96, at: 6, xor: 0 },
  { name: 'IPv4-translated', prefix: [0, 0, 0, 0, 0xffff, 0], bits: 96, at: 6, xor: 0 },
  { name: 'NAT64', prefix: [0x64, 0xff9b, 0, 0, 0, 0], bits: 96, at: 6, xor: 0 },
  { name: '6to4', prefix: [0x2002], bits: 16, at: 1, xor: 0 },
  { name: 'Teredo', prefix: [0x2001, 0], bits: 32, at: 6, xor: 0xffff },
];

/** Bits `bits` of a prefix as one mask per 16-bit word. */
function prefixMask(bits: number): number[] {
  return Array.from({ length: 8 }, (_, i) => {
    const left = Math.max(0, Math.min(16, bits - i * 16));
    return left === 0 ? 0 : (0xffff << (16 - left)) & 0xffff;
  });
}

function embeds(e: Embedding, words: readonly number[]): boolean {
  const mask = prefixMask(e.bits);
  return mask.every((m, i) => ((words[i]! ^ (e.prefix[i] ?? 0)) & m) === 0);
}

/** The metadata endpoint an address is, in any spelling (mapped, NAT64, 6to4, ...); undefined for every other address. */
export function metadataEndpointAt(address: Ip): MetadataEndpoint | undefined {
  const ip = unmapIPv4(address);
  const v4s: number[] = [];
  if (ip.version === 4) v4s.push(ip.value);
  else {
    for (const e of METADATA_ENDPOINTS) if (e.ip.version === 6 && cidrContains({ ip: e.ip, bits: 128 }, ip)) return e;
    for (const e of EMBEDDINGS) {
      if (!embeds(e, ip.words)) continue;
      v4s.push((ip.words[e.at]! ^ e.xor) * 0x10000 + (ip.words[e.at + 1]! ^ e.xor));
    }
  }
  return METADATA_ENDPOINTS.find((e) => e.ip.version === 4 && v4s.includes(e.ip.value));
}

export interface CoveredEndpoint {
  endpoint: MetadataEndpoint;
  /** How the range reaches it, when not directly: `NAT64`, `6to4`, ... */
  via?: string;
}

/** The metadata endpoints a range contains, directly or in an IPv6 spelling of an IPv4 endpoint. */
export function metadataEndpointsIn(range: Cidr): CoveredEndpoint[] {
  const found: CoveredEndpoint[] = [];
  for (const endpoint of METADATA_ENDPOINTS) {
    if (cidrContains(range, endpoint.ip)) {
      found.push({ endpoint });
      continue;
    }
    if (range.ip.version !== 6 || endpoint.ip.version !== 4) continue;
    const rangeWords = range.ip.words;
    const rangeMask = prefixMask(range.bits);
    const v4 = endpoint.ip.value;
    const via = EMBEDDINGS.find((e) => {
      // The set of addresses embedding the endpoint: the prefix fixed, the IPv4 words fixed, the rest free.
      const value = Array.from({ length: 8 }, (_, i) => e.prefix[i] ?? 0);
      value[e.at] = Math.floor(v4 / 0x10000) ^ e.xor;
      value[e.at + 1] = (v4 & 0xffff) ^ e.xor;
      const mask = prefixMask(e.bits);
      mask[e.at] = 0xffff;
      mask[e.at + 1] = 0xffff;
      // Two such sets meet when they agree on every bit both of them fix.
      return value.every((w, i) => ((w ^ rangeWords[i]!) & mask[i]! & rangeMask[i]!) === 0);
    });
    if (via) found.push({ endpoint, via: via.name });
  }
  return found;
}

export type AllowEntry = { kind: 'host'; host: string } | { kind: 'range'; range: Cidr } | { kind: 'invalid'; reason: string };

/** One `network.allow` entry: a host name (lower case, no final dot), or an address or CIDR range (IPv4-mapped ones as IPv4). */
export function parseAllowEntry(raw: string): AllowEntry {
  const entry = raw.trim().toLowerCase();
  if (entry === '') return { kind: 'invalid', reason: 'empty' };
  const unbracketed = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
  const cidr = parseCidr(unbracketed);
  if (cidr !== undefined) return { kind: 'range', range: unmapRange(cidr) };
  if (entry.includes('/') || /^[\d.]+$/.test(entry) || entry.includes(':')) {
    return { kind: 'invalid', reason: 'not a valid IP address or CIDR range' };
  }
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(entry)) return { kind: 'invalid', reason: 'not a valid host name' };
  return { kind: 'host', host: entry.endsWith('.') ? entry.slice(0, -1) : entry };
}

/** ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are compared unmapped. */
function unmapRange(cidr: Cidr): Cidr {
  if (cidr.ip.version !== 6 || cidr.bits < 96) return cidr;
  const ip = unmapIPv4(cidr.ip);
  return ip.version === 4 ? { ip, bits: cidr.bits - 96 } : cidr;
}
