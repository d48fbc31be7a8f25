import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { parse } from 'yaml';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { runInMemory } from '../helpers/collector.ts';

let site: RunningSite;
beforeAll(async () => (site = await startBooksSite({ detailCount: 60, perPage: 20 })));
afterAll(() => site.close());

function books(): Collector {
  const spec = parse(readFileSync('collectors/books-toscrape.yaml', 'utf8')) as Collector;
  return { ...spec, variables: { ...spec.variables, base_url: site.url }, expect: { ...spec.expect, minRecords: 60 } };
}

describe('HTML listing pages with next links and detail pages', () => {
  it('collects every book with listing and detail fields merged', async () => {
    const { manifest, sink } = await runInMemory(books());
    const records = sink.records();
    expect(records).toHaveLength(60);
    expect(manifest.pages).toBe(63); // 3 listing pages + 60 detail pages
    expect(manifest.status).toBe('succeeded');
    const first = records[0]!;
    expect(first).toMatchObject({
      title: 'A Light in the Attic',
      price: 51.77,
      rating: 3,
      upc: 'a897fe39b1053632',
      stock: 22,
      category: 'Poetry',
    });
    expect(first.url).toBe(`${site.url}/catalogue/a-light-in-the-attic_1/index.html`);
    expect(manifest.fillRates).toMatchObject({ title: 1, price: 1, upc: 1 });
  });

  it('keeps the site order: listing order within a page, pages in chain order', async () => {
    const { sink } = await runInMemory(books());
    const urls = sink.records().map((r) => String(r.url));
    const numbers = urls.map((u) => Number(/_(\d+)\/index\.html$/.exec(u)![1]));
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('lists every declared field in the fill rates, a field never filled as 0', async () => {
    const spec = books();
    const withGhost: Collector = { ...spec, extract: { ...spec.extract!, fields: { ...spec.extract!.fields, isbn: 'span.isbn' } } };
    const { manifest } = await runInMemory(withGhost);
    expect(manifest.fillRates.isbn).toBe(0);
    expect(manifest.fillRates.upc).toBe(1);
    expect(Object.keys(manifest.fillRates).sort()).toEqual([
      'availability',
      'category',
      'isbn',
      'price',
      'rating',
      'stock',
      'title',
      'upc',
      'url',
    ]);
  });

  it('fails the run when the expect block is not met', async () => {
    const spec = { ...books(), expect: { minRecords: 61 } };
    const { manifest } = await runInMemory(spec);
    expect(manifest.status).toBe('failed');
    expect(manifest.expectations.problems).toEqual(['expected at least 61 records, got 60']);
  });

  it('honours --limit and --max-pages', async () => {
    const limited = await runInMemory(books(), { limit: 25 });
    expect(limited.sink.records()).toHaveLength(25);
    const short = await runInMemory(books(), { maxPages: 1 });
    expect(short.sink.records()).toHaveLength(20);
  });
});
