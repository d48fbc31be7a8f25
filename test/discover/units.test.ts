// The pieces on their own: the fetch-once layer (one request for concurrent and
// repeated asks, LRU by bytes, only GET pages), the canonical URL, the sitemap
// reader (namespaces, CDATA, entities, plain text, no entity expansion, one pass
// over a hostile document), and the task message codec with and without kinds.
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../runtime/core/discover/canonical-url.ts';
import { decodeTaskMessage, encodeTaskMessage } from '../../runtime/core/engine/task-message.ts';
import { FetchOnce } from '../../runtime/core/fetch/fetch-once.ts';
import type { Fetcher, FetchPolicy, FetchRequest, FetchResponse } from '../../runtime/core/fetch/types.ts';
import { lastmodTime, parseSitemap } from '../../runtime/core/sitemap/parse.ts';

class CountingFetcher implements Fetcher {
  readonly asked: string[] = [];
  private release: (() => void)[] = [];
  constructor(private readonly hold = false) {}
  async fetch(request: FetchRequest): Promise<FetchResponse> {
    this.asked.push(`${request.method} ${request.url}`);
    if (this.hold) await new Promise<void>((r) => this.release.push(r));
    if (request.url.includes('/fail')) throw new Error('boom');
    return {
      url: request.url,
      status: 200,
      headers: {},
      text: 'x'.repeat(100),
      bytes: 100,
      attempts: 1,
      acceptedEmpty: false,
      fetchedAt: '2024-01-01T00:00:00Z',
      elapsedMs: 5,
    };
  }
  go(): void {
    for (const r of this.release.splice(0)) r();
  }
  async close(): Promise<void> {}
}

const policy = {} as FetchPolicy;
const get = (url: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({ url, method: 'GET', headers: {}, ...extra });

describe('fetch once', () => {
  it('answers a page asked for again, and one asked for while it is on the way, with one request', async () => {
    const inner = new CountingFetcher(true);
    const once = new FetchOnce(inner);
    const [a, b] = [once.fetch(get('https://x.test/d#one'), policy), once.fetch(get('https://x.test/d#two'), policy)];
    await Promise.resolve();
    inner.go();
    const [first, second] = await Promise.all([a, b]);
    expect(first.reused).toBeUndefined();
    expect(second).toMatchObject({ reused: true, bytes: 0, text: first.text });
    const third = await once.fetch(get('https://x.test/d'), policy);
    expect(third.reused).toBe(true);
    expect(inner.asked).toEqual(['GET https://x.test/d#one']);
    expect(once.hits).toBe(2);
  });

  it('asks again for other headers, other methods, bodies and support requests, and after a failure', async () => {
    const inner = new CountingFetcher();
    const once = new FetchOnce(inner);
    await once.fetch(get('https://x.test/p'), policy);
    await once.fetch(get('https://x.test/p', { headers: { accept: 'application/json' } }), policy);
    await once.fetch(get('https://x.test/p', { method: 'POST', body: '{}' }), policy);
    await once.fetch(get('https://x.test/p', { role: 'support' }), policy);
    await expect(once.fetch(get('https://x.test/fail'), policy)).rejects.toThrow('boom');
    await expect(once.fetch(get('https://x.test/fail'), policy)).rejects.toThrow('boom');
    expect(inner.asked).toHaveLength(6);
  });

  it('keeps at most maxBytes, dropping the least recently used first', async () => {
    const inner = new CountingFetcher();
    // Each response is about 2 x (100 + URL + key) bytes: two fit in 700, three do not.
    const once = new FetchOnce(inner, 700);
    for (const p of ['a', 'b']) await once.fetch(get(`https://x.test/${p}`), policy);
    await once.fetch(get('https://x.test/a'), policy); // a is now the most recent
    await once.fetch(get('https://x.test/c'), policy); // b goes
    await once.fetch(get('https://x.test/a'), policy);
    await once.fetch(get('https://x.test/b'), policy);
    expect(inner.asked).toEqual(['GET https://x.test/a', 'GET https://x.test/b', 'GET https://x.test/c', 'GET https://x.test/b']);
  });
});

describe('canonical URL', () => {
  it('drops the fragment and nothing else a site could tell apart', () => {
    expect(canonicalUrl('HTTPS://Shop.Example.com:443/Item/1?b=2&a=1#reviews')).toBe('https://shop.example.com/Item/1?b=2&a=1');
    expect(canonicalUrl('https://x.test/a/')).not.toBe(canonicalUrl('https://x.test/a'));
  });
});

describe('sitemap reader', () => {
  it('reads urlsets and indexes in any namespace prefix, CDATA and entities, and lastmods', () => {
    const set = parseSitemap(
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://a.test/x?a=1&amp;b=2 </loc><lastmod>2024-01-02</lastmod></url><url><loc><![CDATA[https://a.test/y]]></loc></url><url><loc/></url></urlset>',
      'u',
    );
    expect(set).toEqual({
      kind: 'urlset',
      entries: [{ loc: 'https://a.test/x?a=1&b=2', lastmod: '2024-01-02' }, { loc: 'https://a.test/y' }],
    });
    const index = parseSitemap(
      '<s:sitemapindex xmlns:s="x"><s:sitemap><s:loc>https://a.test/1.xml.gz</s:loc></s:sitemap></s:sitemapindex>',
      'u',
    );
    expect(index).toEqual({ kind: 'index', entries: [{ loc: 'https://a.test/1.xml.gz' }] });
    expect(parseSitemap('https://a.test/1\r\nhttps://a.test/2\n', 'u').entries.map((e) => e.loc)).toEqual([
      'https://a.test/1',
      'https://a.test/2',
    ]);
    expect(() => parseSitemap('<html><body>hi</body></html>', 'https://a.test/s')).toThrow('https://a.test/s is not a sitemap');
  });

  it('never expands a declared entity', () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<urlset><url><loc>https://a.test/&b;&x;</loc></url></urlset>';
    expect(parseSitemap(xml, 'u').entries).toEqual([{ loc: 'https://a.test/&b;&x;' }]);
  });

  it('reads a document of a hundred thousand unclosed tags in one pass', () => {
    const hostile = `<urlset>${'<url><loc>'.repeat(100_000)}`;
    const spy = { indexOf: 0 };
    const original = String.prototype.indexOf;
    String.prototype.indexOf = function (this: string, ...args: Parameters<string['indexOf']>) {
      spy.indexOf++;
      return original.apply(this, args);
    };
    try {
      expect(parseSitemap(hostile, 'u').entries).toEqual([]);
    } finally {
      String.prototype.indexOf = original;
    }
    // Linear: a few lookups per tag, not one scan of the rest per tag.
    expect(spy.indexOf).toBeLessThan(10);
  });

  it('reads lastmods as UTC instants, and leaves what is no date out', () => {
    expect(lastmodTime('2024-01-02')).toBe('2024-01-02T00:00:00.000Z');
    expect(lastmodTime('2024-01-02T10:00:00+02:00')).toBe('2024-01-02T08:00:00.000Z');
    expect(lastmodTime('yesterday')).toBeUndefined();
    expect(lastmodTime(undefined)).toBeUndefined();
  });
});

describe('task messages with kinds', () => {
  it('carry a kind and a depth, and read messages written before them', () => {
    const task = { id: 'i', runId: 'r', collector: 'c', url: 'https://a.test/', vars: {}, page: 1, hop: 2, itemsSeen: 0, recent: [] };
    expect(decodeTaskMessage(encodeTaskMessage({ ...task, kind: 'item', depth: 2 }))).toMatchObject({ kind: 'item', depth: 2 });
    expect(decodeTaskMessage(JSON.stringify({ v: 1, task }))).toEqual(task);
    expect(() => decodeTaskMessage(JSON.stringify({ v: 1, task: { ...task, kind: 3 } }))).toThrow('task.kind is not a string');
  });
});
