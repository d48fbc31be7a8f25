// A site of heavy pages: the real news articles of test/fixtures/articles
// (25 KB to 1.5 MB each, cycled) behind listing pages of links with a `li.next`
// link, so a crawl of it looks like the books crawl with much larger pages.
import { readFileSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ARTICLES_DIR = fileURLToPath(new URL('../../test/fixtures/articles/html/', import.meta.url));

export interface Article {
  id: string;
  html: Buffer;
}

let cache: Article[] | undefined;

/** The real article pages, decompressed once, in a fixed (file name) order. */
function loadArticles(): Article[] {
  if (cache) return cache;
  const files = readdirSync(ARTICLES_DIR)
    .filter((f) => f.endsWith('.html.gz'))
    .sort();
  cache = files.map((f) => ({ id: f.replace('.html.gz', ''), html: gunzipSync(readFileSync(ARTICLES_DIR + f)) }));
  return cache;
}

export interface ArticlesSiteOptions {
  articleCount?: number;
  perPage?: number;
}

/** Article n (1-based) is the real page (n-1) mod count, served at /articles/<id>_<n>.html. */
export function articleFor(n: number): Article {
  const all = loadArticles();
  return all[(n - 1) % all.length]!;
}

export function articlePath(n: number): string {
  return `/articles/${articleFor(n).id.slice(0, 16)}_${n}.html`;
}

export function articlesListingPath(k: number): string {
  return `/articles/page-${k}.html`;
}

export function articlesSiteHandler(options: ArticlesSiteOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const count = options.articleCount ?? 500;
  const perPage = options.perPage ?? 20;
  const listingCount = Math.ceil(count / perPage);
  const paths = new Map<string, number>();
  for (let n = 1; n <= count; n++) paths.set(articlePath(n), n);

  const listing = (k: number): string => {
    const items: string[] = [];
    for (let n = (k - 1) * perPage + 1; n <= Math.min(k * perPage, count); n++) {
      items.push(`<li class="story"><h3><a href="${articlePath(n).slice('/articles/'.length)}">Story ${n}</a></h3></li>`);
    }
    const next = k < listingCount ? `<li class="next"><a href="page-${k + 1}.html">next</a></li>` : '';
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Stories, page ${k}</title></head>
<body><ul class="stories">
${items.join('\n')}
</ul><ul class="pager">${next}</ul></body></html>`;
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const m = /^\/articles\/page-(\d+)\.html$/.exec(path);
    if (m && +m[1]! >= 1 && +m[1]! <= listingCount) return send(200, listing(+m[1]!));
    const n = paths.get(path);
    if (n !== undefined) return send(200, articleFor(n).html);
    send(404, '<html><body><h1>404 Not Found</h1></body></html>');
  };
}
