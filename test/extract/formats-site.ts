// A local site for the end-to-end tests of the richer extraction: a deals listing whose items
// span sibling rows, product pages carrying JSON-LD and a JavaScript variable, an RSS feed in
// two pages (an atom:link rel=next), an XML API, a CSV export paged by number, and a page whose
// JavaScript state is not JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';

const PRODUCTS = [
  { id: 1, title: 'Kettle', votes: 12, price: '29.90', sku: 'K-100', section: 'Kitchen' },
  { id: 2, title: 'Toaster', votes: 7, price: '19.00', sku: 'T-200', section: 'Kitchen' },
  { id: 3, title: 'Desk lamp', votes: 3, price: '45.50', sku: 'L-300', section: 'Office' },
];

function deals(): string {
  const rows = (section: string) =>
    PRODUCTS.filter((p) => p.section === section)
      .map(
        (p) => `
      <tr class="deal"><td><a class="title" href="/product/${p.id}">${p.title}</a></td></tr>
      <tr><td class="meta"><span class="votes">${p.votes} votes</span></td></tr>
      <tr class="spacer"></tr>`,
      )
      .join('');
  return `<!doctype html><html><body>
    <h1>Deals</h1><p>Updated <time datetime="2024-03-01T08:00:00Z">this morning</time></p>
    <section><h2>Kitchen</h2><table>${rows('Kitchen')}</table></section>
    <section><h2>Office</h2><table>${rows('Office')}</table></section>
  </body></html>`;
}

function product(id: number): string | undefined {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) return undefined;
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebPage', name: p.title },
      { '@type': ['Product'], name: p.title, offers: { '@type': 'Offer', price: p.price, priceCurrency: 'EUR' } },
    ],
  };
  return `<!doctype html><html><head>
    <script type="application/ld+json">${JSON.stringify(ld)}</script>
    <script>window.dataLayer = []; window.__PRODUCT__ = ${JSON.stringify({ sku: p.sku, stock: { count: p.id * 10 } })};</script>
  </head><body><h1>${p.title}</h1></body></html>`;
}

const ITEMS = Array.from({ length: 5 }, (_, i) => ({
  n: i + 1,
  title: `Story ${i + 1} & more`,
  author: ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger'][i]!,
  date: `Mon, 0${i + 1} Jan 2024 10:00:00 GMT`,
}));

function feed(page: number, base: string): string {
  const perPage = 3;
  const slice = ITEMS.slice((page - 1) * perPage, page * perPage);
  const next = page * perPage < ITEMS.length ? `<atom:link rel="next" href="${base}/feed.xml?page=${page + 1}"/>` : '';
  const items = slice
    .map(
      (i) => `<item><title>${i.title.replace('&', '&amp;')}</title><link>${base}/story/${i.n}</link>
        <pubDate>${i.date}</pubDate><dc:creator>${i.author}</dc:creator><category>c${i.n % 2}</category></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Local news</title>${next}${items}</channel></rss>`;
}

function api(): string {
  return `<?xml version="1.0"?>
<response xmlns="urn:example:stations"><stations>
  <station id="s1"><name>North</name><reading unit="C">4.5</reading></station>
  <station id="s2"><name>South</name><reading unit="C">11</reading></station>
</stations></response>`;
}

/** Rows 1..7 over pages of 3; a page past the end has the header only. Quotes, a BOM on every page. */
function csv(page: number, tab: boolean): string {
  const sep = tab ? '\t' : ';';
  const rows = Array.from({ length: 7 }, (_, i) => i + 1)
    .slice((page - 1) * 3, page * 3)
    .map((n) => (tab ? [n, `name ${n}`, `${n},5`] : [n, `"name ${n}; ""quoted"""`, `${n},5`]).join(sep));
  return `\uFEFF${['id', 'name', 'price'].join(sep)}\r\n${rows.map((r) => `${r}\r\n`).join('')}`;
}

export function startFormatsSite(): Promise<RunningSite> {
  let base = '';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page') ?? 1);
    const send = (type: string, body: string | undefined) => {
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    const m = /^\/product\/(\d+)$/.exec(url.pathname);
    if (m) return send('text/html; charset=utf-8', product(Number(m[1])));
    switch (url.pathname) {
      case '/deals':
        return send('text/html; charset=utf-8', deals());
      case '/broken': // a JavaScript literal that is not JSON
        return send(
          'text/html; charset=utf-8',
          '<html><body><h1>Broken</h1><script>window.__STATE__ = {items: [1]};</script></body></html>',
        );
      case '/feed.xml':
        return send('application/rss+xml; charset=utf-8', feed(page, base));
      case '/api/stations':
        return send('application/xml', api());
      case '/export.csv':
        return send('text/csv; charset=utf-8', csv(page, false));
      case '/export.tsv':
        return send('text/tab-separated-values', csv(page, true));
      default:
        return send('text/plain', undefined);
    }
  };
  return startSite(handler).then((site) => {
    base = site.url;
    return site;
  });
}
