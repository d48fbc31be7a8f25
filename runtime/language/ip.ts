// IP addresses and CIDR ranges as numbers, for the network guard
// (core/fetch/guard.ts) and the lint of `network.allow` (lint/network.ts). Only
// canonical spellings are read here: resolvers return them, and the WHATWG
// URL parser already turns "0x7f.1" or "2130706433" into "127.0.0.1".

export type Ip = { version: 4; value: number } | { version: 6; words: readonly number[] };

export interface Cidr {
  ip: Ip;
  bits: number;
}

const ipv4Pattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const hexWord = /^[0-9a-f]{1,4}$/i;

function parseIPv4(text: string): number | undefined {
  const m = ipv4Pattern.exec(text);
  if (m === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    // "010" is octal to some parsers and decimal to others: refuse to guess.
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** Eight 16-bit words; accepts brackets, a zone (`%eth0`) and a trailing dotted IPv4. */
function parseIPv6(text: string): number[] | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  const lastColon = s.lastIndexOf(':');
  const lastPart = s.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    const v4 = parseIPv4(lastPart);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const gap = s.indexOf('::');
  let parts: string[];
  if (gap >= 0) {
    if (s.indexOf('::', gap + 1) >= 0) return undefined;
    const head = gap === 0 ? [] : s.slice(0, gap).split(':');
    const tail = gap + 2 === s.length ? [] : s.slice(gap + 2).split(':');
    if (head.length + tail.length > 7) return undefined;
    parts = [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  } else {
    parts = s.split(':');
    if (parts.length !== 8) return undefined;
  }
  const words: number[] = [];
  for (const part of parts) {
    if (!hexWord.test(part)) return undefined;
    words.push(parseInt(part, 16));
  }
  return words;
}

export function parseIp(text: string): Ip | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const words = parseIPv6(text);
  return words === undefined ? undefined : { version: 6, words };
}

/** "10.0.0.0/8", "fd00::/8"; a bare address is a range of one. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (slash < 0) return { ip, bits: max };
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits > max ? undefined : { ip, bits };
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes the IPv4 address it stands for. */
export function unmapIPv4(ip: Ip): Ip {
  if (ip.version === 6 && isPrefix(ip.words, [0, 0, 0, 0, 0, 0xffff], 96)) {
    return { version: 4, value: ip.words[6]! * 0x10000 + ip.words[7]! };
  }
  return ip;
}

export function cidrContains(range: Cidr, ip: Ip): boolean {
  if (range.ip.version !== ip.version) return false;
  if (range.ip.version === 4 && ip.version === 4) {
    if (range.bits === 0) return true;
    const shift = 32 - range.bits;
    // Division instead of >>> because a shift by 32 is a shift by 0 in JS.
    return Math.floor(range.ip.value / 2 ** shift) === Math.floor(ip.value / 2 ** shift);
  }
  if (range.ip.version === 6 && ip.version === 6) return isPrefix(ip.words, range.ip.words, range.bits);
  return false;
}

function isPrefix(words: readonly number[], prefix: readonly number[], bits: number): boolean {
  let left = bits;
  for (let i = 0; left > 0; i++, left -= 16) {
    const a = words[i] ?? 0;
    const b = prefix[i] ?? 0;
    if (left >= 16) {
      if (a !== b) return false;
    } else {
      const mask = (0xffff << (16 - left)) & 0xffff;
      if ((a & mask) !== (b & mask)) return false;
    }
  }
  return true;
}

export function formatIp(ip: Ip): string {
  if (ip.version === 4) {
    const v = ip.value;
    return `${Math.floor(v / 0x1000000)}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
  }
  return ip.words.map((w) => w.toString(16)).join(':');
}
