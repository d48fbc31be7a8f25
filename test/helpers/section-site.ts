// A small site for discovery crawls and sitemaps, on 127.0.0.1, counting every
// request by path and query (`hits`):
//
//   /                      home: nav a.section -> /section/a, /section/b; a link to /about
//   /section/a, /section/b listing pages: li.item a -> /item/N, a.next -> ?page=2;
//                          items 4 and 5 are listed in both sections (pages found twice);
//                          section a lists an item on another host (never followed)
//   /item/N  (1..10)       h1[data-id], .price, time.updated; a.related -> /item/N+1 (10 -> 1),
//                          so items are found again from each other; item 9 is reached only from
//                          item 8, and item 10 only from item 9 (one link deeper)
//   /shared                20 li.row, each linking the same /detail/shared (fetch once)
//   /sitemap_index.xml     a sitemap index: /sitemaps/sections.xml and /sitemaps/items.xml.gz
//   /sitemaps/sections.xml the two sections, namespaced (s:urlset)
//   /sitemaps/items.xml.gz gzip file, application/gzip, no Content-Encoding: items 1..9 with a
//                          lastmod each, an item on another host, and item 3 again with a #fragment
//
// `touch(n, date)` changes an item's lastmod and its time.updated, as a site does when it edits one.
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';

const SECTIONS: Record<string, number[][]> = {
  a: [
    [1, 2, 3],
    [4, 5],
  ],
  b: [
    [4, 5, 6],
    [7, 8],
  ],
};
/** Items the crawl reaches: 1..8 from the listings, 9 from item 8 (depth 3). Item 10 is one deeper. */
const ITEMS = 10;
/** The host of the link that must not be followed. */
export const ELSEWHERE = 'http://elsewhere.invalid';

export interface SectionSite extends RunningSite {
  /** Requests of one path (with its query), 0 when never asked for. */
  count(path: string): number;
  /** The lastmod of an item (and its page's time.updated): `2024-01-0N` until touched. */
  touch(n: number, date: string): void;
  resetCounts(): void;
}

export function itemPrice(n: number): number {
  return n * 10 + 0.5;
}

export async function startSectionSite(): Promise<SectionSite> {
  const updated = new Map<number, string>();
  for (let n = 1; n <= ITEMS; n++) updated.set(n, `2024-01-${String(n).padStart(2, '0')}`);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: string | Buffer, type = 'text/html; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const page = (body: string) => send(200, `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`);
    const nav = '<nav><a class="section" href="/section/a">A</a> <a class="section" href="/section/b#top">B</a></nav>';
    if (url.pathname === '/') return page(`${nav}<a href="/about">about</a><a href="${ELSEWHERE}/">elsewhere</a>`);
    const section = /^\/section\/([ab])$/.exec(url.pathname);
    if (section) {
      const pages = SECTIONS[section[1]!]!;
      const n = Number(url.searchParams.get('page') ?? '1');
      const items = pages[n - 1];
      if (!items) return send(404, 'no such page');
      const list = items.map((i) => `<li class="item"><a href="/item/${i}">Item ${i}</a></li>`).join('');
      const foreign = section[1] === 'a' && n === 1 ? `<li class="item"><a href="${ELSEWHERE}/item/99">Elsewhere</a></li>` : '';
      const next = n < pages.length ? `<a class="next" href="/section/${section[1]}?page=${n + 1}">next</a>` : '';
      return page(`${nav}<ul>${list}${foreign}</ul>${next}`);
    }
    const item = /^\/item\/(\d+)$/.exec(url.pathname);
    if (item) {
      const n = Number(item[1]);
      if (n < 1 || n > ITEMS) return send(404, 'no such item');
      const related = (n % ITEMS) + 1;
      return page(
        `${nav}<h1 data-id="${n}">Item ${n}</h1><span class="price">$${itemPrice(n)}</span>` +
          `<time class="updated">${updated.get(n)}</time><a class="related" href="/item/${related}">related</a>`,
      );
    }
    if (url.pathname === '/shared') {
      const rows = Array.from({ length: 20 }, (_, i) => `<li class="row"><b>${i + 1}</b><a href="/detail/shared">d</a></li>`);
      return page(`<ul>${rows.join('')}</ul>`);
    }
    if (url.pathname === '/detail/shared') return page('<p class="maker">Acme</p>');
    if (url.pathname === '/sitemap_index.xml') {
      return send(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
          '<sitemap><loc>/sitemaps/sections.xml</loc></sitemap>' +
          `<sitemap><loc>http://127.0.0.1:${port()}/sitemaps/items.xml.gz</loc><lastmod>2024-01-31</lastmod></sitemap></sitemapindex>`,
        'application/xml',
      );
    }
    if (url.pathname === '/sitemaps/sections.xml') {
      const base = `http://127.0.0.1:${port()}`;
      return send(
        200,
        `<?xml version="1.0"?><s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9">` +
          `<s:url><s:loc>${base}/section/a</s:loc></s:url><s:url><s:loc>${base}/section/b</s:loc></s:url></s:urlset>`,
        'application/xml',
      );
    }
    if (url.pathname === '/sitemaps/items.xml.gz') {
      const base = `http://127.0.0.1:${port()}`;
      const urls = Array.from(
        { length: 9 },
        (_, i) => `<url><loc>${base}/item/${i + 1}</loc><lastmod>${updated.get(i + 1)}</lastmod></url>`,
      );
      const xml =
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}` +
        `<url><loc>${ELSEWHERE}/item/99</loc></url><url><loc>${base}/item/3#reviews</loc><lastmod>${updated.get(3)}</lastmod></url></urlset>`;
      return send(200, gzipSync(xml), 'application/gzip');
    }
    send(404, 'not found');
  };
  const site = await startSite(handler);
  const port = () => new URL(site.url).port;
  return {
    ...site,
    count: (path) => site.hits.get(path) ?? 0,
    touch: (n, date) => void updated.set(n, date),
    resetCounts: () => site.hits.clear(),
  };
}
