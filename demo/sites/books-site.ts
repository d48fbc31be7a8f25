// A local books.toscrape.com: `detailCount` detail pages (the 200 real pages
// cycled) under catalogue paths and listing pages of `perPage` books with a
// `li.next` link, in the markup of the real site.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml, loadBookPages } from './books-pages.ts';

export interface BooksSiteOptions {
  detailCount?: number;
  perPage?: number;
  /** Called before each response; return true when it answered the request itself. */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface RunningSite {
  url: string;
  server: Server;
  /** Requests served, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export function bookSlug(n: number, title: string): string {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'book';
  return `${slug}_${n}`;
}

export function booksSiteHandler(options: BooksSiteOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const pages = loadBookPages();
  const detailCount = options.detailCount ?? 1000;
  const perPage = options.perPage ?? 20;
  const listingCount = Math.ceil(detailCount / perPage);
  const book = (n: number) => pages[(n - 1) % pages.length]!;
  const slugs = Array.from({ length: detailCount }, (_, i) => bookSlug(i + 1, book(i + 1).title));
  const listings = new Map<number, string>();

  const listing = (k: number): string => {
    let html = listings.get(k);
    if (html) return html;
    const items: string[] = [];
    for (let n = (k - 1) * perPage + 1; n <= Math.min(k * perPage, detailCount); n++) {
      const b = book(n);
      const href = `${slugs[n - 1]}/index.html`;
      items.push(`<li class="col-xs-6 col-sm-4 col-md-3 col-lg-3"><article class="product_pod">
<div class="image_container"><a href="${href}"><img src="../media/cache/${n}.jpg" alt="${escapeHtml(b.title)}" class="thumbnail"></a></div>
<p class="star-rating ${b.rating}"><i class="icon-star"></i></p>
<h3><a href="${href}" title="${escapeHtml(b.title)}">${escapeHtml(b.title.slice(0, 30))}</a></h3>
<div class="product_price"><p class="price_color">${b.price}</p><p class="instock availability"><i class="icon-ok"></i> ${b.inStock ? 'In stock' : 'Out of stock'}</p></div>
</article></li>`);
    }
    const next = k < listingCount ? `<li class="next"><a href="page-${k + 1}.html">next</a></li>` : '';
    const prev = k > 1 ? `<li class="previous"><a href="page-${k - 1}.html">previous</a></li>` : '';
    html = `<!DOCTYPE html><html lang="en-us"><head><meta charset="utf-8"><title>All products | Books to Scrape - Sandbox</title></head>
<body><div class="page_inner"><ul class="breadcrumb"><li><a href="../index.html">Home</a></li><li class="active">All products</li></ul>
<form class="form-horizontal"><strong>${detailCount}</strong> results - showing <strong>${(k - 1) * perPage + 1}</strong> to <strong>${Math.min(k * perPage, detailCount)}</strong>.</form>
<section><ol class="row">
${items.join('\n')}
</ol><div><ul class="pager">${prev}<li class="current">Page ${k} of ${listingCount}</li>${next}</ul></div></section></div></body></html>`;
    listings.set(k, html);
    return html;
  };

  const slugIndex = new Map(slugs.map((s, i) => [s, i + 1]));
  return (req, res) => {
    if (options.intercept?.(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    let m = /^\/catalogue\/page-(\d+)\.html$/.exec(path);
    if (path === '/' || path === '/index.html')
      return send(200, listing(1).replaceAll('href="', 'href="catalogue/').replaceAll('catalogue/../', ''));
    if (m && +m[1]! >= 1 && +m[1]! <= listingCount) return send(200, listing(+m[1]!));
    m = /^\/catalogue\/([^/]+)\/index\.html$/.exec(path);
    const n = m ? slugIndex.get(m[1]!) : undefined;
    if (n !== undefined) return send(200, book(n).html);
    send(404, '<html><body><h1>404 Not Found</h1></body></html>');
  };
}

export function startSite(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<RunningSite> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = req.url ?? '/';
    hits.set(key, (hits.get(key) ?? 0) + 1);
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${p}`,
        server,
        hits,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

export function startBooksSite(options: BooksSiteOptions = {}, port = 0): Promise<RunningSite> {
  return startSite(booksSiteHandler(options), port);
}
