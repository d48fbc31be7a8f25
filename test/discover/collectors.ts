// The collectors of the discovery tests, over test/helpers/section-site.ts.
import type { Collector } from '../../runtime/language/generated/collector.types.ts';

/** Home (discover only) -> sections (pagination, discover) -> items (records, discover related). */
export function crawler(base: string, over: Partial<Collector> = {}): Collector {
  return {
    name: 'sections',
    start: { urls: [`${base}/`] },
    discover: [{ links: 'nav a.section', as: 'section' }],
    pages: {
      section: {
        paginate: { type: 'next-link', selector: 'a.next' },
        discover: [{ links: 'li.item a', allow: ['/item/[0-9]+$'], as: 'item' }],
      },
      item: {
        extract: {
          fields: {
            id: { selector: 'h1', attr: 'data-id', type: 'integer', required: true },
            title: 'h1',
            price: { selector: '.price', type: 'number' },
            url: { context: 'url' },
          },
        },
        discover: [{ links: 'a.related', as: 'item' }],
      },
    },
    records: { dedupeKey: ['id'] },
    request: { rateLimit: { perSecond: 1000, concurrency: 4 }, retries: { attempts: 0 } },
    output: 's3://lake/crawl/{{ name }}',
    ...over,
  };
}
