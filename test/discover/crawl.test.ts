// A discovery crawl run locally against a site of sections, listings and items:
// exactly the records of the items the rules reach, each page fetched once
// however often it is linked, the depth limit respected, an external link never
// followed, and a collector whose start pages only discover.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { crawler } from './collectors.ts';
import { runInMemory } from '../helpers/collector.ts';
import { ELSEWHERE, itemPrice, type SectionSite, startSectionSite } from '../helpers/section-site.ts';

let site: SectionSite;
beforeAll(async () => {
  site = await startSectionSite();
});
afterAll(async () => {
  await site?.close();
});
beforeEach(() => site.resetCounts());

const byId = (records: Record<string, unknown>[]) => [...records].sort((a, b) => Number(a.id) - Number(b.id));

describe('discovery crawl, locally', () => {
  it('collects exactly the items the rules reach, each page fetched once, no deeper than maxDepth', async () => {
    const { sink, manifest, failures } = await runInMemory(crawler(site.url));
    const records = byId(sink.records());
    // Items 1..8 from the listings (depth 2), 9 from item 8 (depth 3 = maxDepth); 10 would be depth 4.
    expect(records).toEqual(
      Array.from({ length: 9 }, (_, i) => ({
        id: i + 1,
        title: `Item ${i + 1}`,
        price: itemPrice(i + 1),
        url: `${site.url}/item/${i + 1}`,
      })),
    );
    expect(failures).toEqual([]);
    expect(manifest.status).toBe('succeeded');
    // Every page once: items 4 and 5 are listed in two sections, every item is linked from another.
    for (const path of ['/', '/section/a', '/section/a?page=2', '/section/b', '/section/b?page=2']) expect(site.count(path), path).toBe(1);
    for (let n = 1; n <= 9; n++) expect(site.count(`/item/${n}`), `item ${n}`).toBe(1);
    expect(site.count('/item/10')).toBe(0);
    expect(site.count('/about')).toBe(0);
    // home, 2 sections of 2 pages, 9 items; one task each (a section's second page goes inside its task).
    expect(manifest.pages).toBe(1 + 4 + 9);
    expect(manifest.tasks).toBe(1 + 2 + 9);
    expect(manifest.dropped).toEqual({});
  });

  it('stops at maxDepth: with maxDepth 2 on the related rule, item 9 is never fetched', async () => {
    const c = crawler(site.url);
    c.pages!.item!.discover = [{ links: 'a.related', as: 'item', maxDepth: 2 }];
    const { sink } = await runInMemory(c);
    expect(byId(sink.records()).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(site.count('/item/9')).toBe(0);
  });

  it('follows a link to another host only when sameHost is false (and the network guard still refuses it)', async () => {
    const c = crawler(site.url);
    c.pages!.section!.discover = [{ links: 'li.item a', as: 'item', sameHost: false }];
    const { failures } = await runInMemory(c);
    // The other host is now taken, and fails alone: it does not resolve.
    expect(failures.map((f) => f.url)).toEqual([`${ELSEWHERE}/item/99`]);
  });

  it('fetches a detail page that twenty records link to once, and counts the rest as reused', async () => {
    const c: Collector = {
      name: 'shared',
      start: { urls: [`${site.url}/shared`] },
      extract: { items: 'li.row', fields: { n: { selector: 'b', type: 'integer' } } },
      follow: { selector: 'a', extract: { fields: { maker: '.maker' } } },
      output: 's3://lake/crawl/{{ name }}',
    };
    const { sink, manifest } = await runInMemory(c);
    expect(sink.records()).toHaveLength(20);
    expect(sink.records().every((r) => r.maker === 'Acme')).toBe(true);
    expect(site.count('/detail/shared')).toBe(1);
    expect(manifest.pages).toBe(21);
    expect(manifest.pagesReused).toBe(19);
  });
});
