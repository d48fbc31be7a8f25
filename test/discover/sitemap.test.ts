// Sitemaps as seeds, locally: a sitemap index with a plain child and a gzipped
// one (application/gzip, no Content-Encoding), `match` and `as`, a page listed
// twice, a page on another host; `since`; and an incremental second run that
// fetches only the page whose lastmod changed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { runInMemory, tempDir } from '../helpers/collector.ts';
import { itemPrice, type SectionSite, startSectionSite } from '../helpers/section-site.ts';

let site: SectionSite;
beforeAll(async () => {
  site = await startSectionSite();
});
afterAll(async () => {
  await site?.close();
});
beforeEach(() => site.resetCounts());

function fromSitemap(base: string, over: Partial<Collector> = {}, since?: string): Collector {
  return {
    name: 'items-sitemap',
    start: { sitemaps: [{ url: `${base}/sitemap_index.xml`, match: '/item/', as: 'item', ...(since ? { since } : {}) }] },
    pages: {
      item: {
        extract: {
          fields: {
            id: { selector: 'h1', attr: 'data-id', type: 'integer', required: true },
            price: { selector: '.price', type: 'number' },
            updated: 'time.updated',
          },
        },
      },
    },
    request: { rateLimit: { perSecond: 1000, concurrency: 4 }, retries: { attempts: 0 } },
    output: 's3://lake/sitemap/{{ name }}',
    ...over,
  };
}

const ids = (records: Record<string, unknown>[]) => records.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('sitemaps as seeds', () => {
  it('reads a sitemap index and its gzipped sitemap, keeps the pages that match, each once', async () => {
    const { sink, manifest, failures } = await runInMemory(fromSitemap(site.url));
    const records = [...sink.records()].sort((a, b) => Number(a.id) - Number(b.id));
    expect(records).toEqual(Array.from({ length: 9 }, (_, i) => ({ id: i + 1, price: itemPrice(i + 1), updated: `2024-01-0${i + 1}` })));
    expect(failures).toEqual([]);
    expect(manifest.tasks).toBe(9);
    // Each sitemap once; item 3 (listed twice, once with a #fragment) once; the sections do not match.
    for (const path of ['/sitemap_index.xml', '/sitemaps/sections.xml', '/sitemaps/items.xml.gz', '/item/3'])
      expect(site.count(path), path).toBe(1);
    expect(site.count('/section/a')).toBe(0);
  });

  it('takes only pages modified after `since`', async () => {
    const { sink } = await runInMemory(fromSitemap(site.url, {}, '2024-01-05'));
    expect(ids(sink.records())).toEqual([6, 7, 8, 9]);
    expect(site.count('/item/5')).toBe(0);
  });

  it('with records.incremental, a second run fetches only the pages whose lastmod is newer', async () => {
    const outDir = tempDir();
    const collector = fromSitemap(site.url, { records: { incremental: { cursorField: 'updated' } } });
    const first = await runInMemory(collector, { outDir });
    expect(ids(first.sink.records())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    site.resetCounts();
    site.touch(3, '2024-02-01');
    const second = await runInMemory(collector, { outDir });
    expect(second.sink.records()).toEqual([{ id: 3, price: itemPrice(3), updated: '2024-02-01' }]);
    expect(site.count('/item/3')).toBe(1);
    for (const n of [1, 2, 4, 5, 6, 7, 8, 9]) expect(site.count(`/item/${n}`), `item ${n}`).toBe(0);
    expect(second.manifest.tasks).toBe(1);

    // Nothing changed since: nothing is fetched but the sitemaps.
    site.resetCounts();
    const third = await runInMemory(collector, { outDir });
    expect(third.sink.records()).toEqual([]);
    expect([...site.hits.keys()].filter((k) => k.startsWith('/item/'))).toEqual([]);
  });

  it('seeds start pages from a sitemap that discover the rest', async () => {
    const c: Collector = {
      name: 'sections-sitemap',
      start: { sitemaps: [{ url: `${site.url}/sitemap_index.xml`, match: '/section/' }] },
      paginate: { type: 'next-link', selector: 'a.next' },
      discover: [{ links: 'li.item a', as: 'item' }],
      pages: { item: { extract: { fields: { id: { selector: 'h1', attr: 'data-id', type: 'integer' } } } } },
      output: 's3://lake/sitemap/{{ name }}',
    };
    const { sink, failures } = await runInMemory(c);
    expect(ids(sink.records())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(failures).toEqual([]);
  });

  it('fails the planning with the sitemap named when one is not a sitemap', async () => {
    const c = fromSitemap(site.url);
    c.start = { sitemaps: [`${site.url}/section/a`] };
    await expect(runInMemory(c)).rejects.toThrow(/sitemap http:\/\/127\.0\.0\.1:\d+\/section\/a: .* is not a sitemap/);
  });
});
