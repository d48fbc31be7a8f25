// The bench's rendered site: every item comes from script. A listing page's
// HTML holds an empty list and a script bundle that fills it from a JSON
// endpoint; a detail page's title and price come the same way. A plain fetch
// finds nothing on either; a browser finds everything.
//
//   /list/K        `perPage` item links (li.item a), rendered by /app.js from /api/list/K; a static next link
//   /item/N        h1.title and p.price, rendered by /app.js from /api/item/N
//   /app.js        the bundle (one file, cached by the browser)
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RenderedSiteOptions {
  /** Detail pages. */
  count: number;
  perPage: number;
}

const APP = `(() => {
  const path = location.pathname;
  const list = /^\\/list\\/(\\d+)$/.exec(path);
  const item = /^\\/item\\/(\\d+)$/.exec(path);
  if (list) {
    fetch('/api/list/' + list[1]).then(r => r.json()).then(items => {
      const ul = document.getElementById('items');
      for (const it of items) {
        const li = document.createElement('li');
        li.className = 'item';
        const a = document.createElement('a');
        a.href = '/item/' + it.id;
        a.textContent = it.title;
        li.appendChild(a);
        ul.appendChild(li);
      }
    });
  } else if (item) {
    fetch('/api/item/' + item[1]).then(r => r.json()).then(it => {
      document.querySelector('h1.title').textContent = it.title;
      document.querySelector('p.price').textContent = it.price;
    });
  }
})();`;

export function renderedTitle(n: number): string {
  return `Rendered item ${n}`;
}

export function renderedPrice(n: number): string {
  return (((n * 37) % 1000) / 10 + 1).toFixed(2);
}

function renderedListingPath(k: number): string {
  return `/list/${k}`;
}

function renderedItemPath(n: number): string {
  return `/item/${n}`;
}

function shell(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script src="/app.js"></script></body></html>`;
}

export function renderedSiteHandler(o: RenderedSiteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const listings = Math.ceil(o.count / o.perPage);
  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const [, kind, number] = /^\/(list|api\/list|item|api\/item)\/(\d+)$/.exec(path) ?? [];
    const n = Number(number);
    if (path === '/app.js') return send(res, 200, 'text/javascript', APP, { 'cache-control': 'max-age=3600' });
    if (kind === 'list' && n >= 1 && n <= listings) {
      const next = n < listings ? `<a class="next" href="${renderedListingPath(n + 1)}">next</a>` : '';
      return send(res, 200, 'text/html; charset=utf-8', shell(`List ${n}`, `<ul id="items"></ul>${next}`));
    }
    if (kind === 'api/list') {
      const items = [];
      for (let id = (n - 1) * o.perPage + 1; id <= Math.min(n * o.perPage, o.count); id++) items.push({ id, title: renderedTitle(id) });
      return send(res, 200, 'application/json', JSON.stringify(items));
    }
    if (kind === 'item' && n >= 1 && n <= o.count) {
      return send(res, 200, 'text/html; charset=utf-8', shell(`Item ${n}`, '<h1 class="title"></h1><p class="price"></p>'));
    }
    if (kind === 'api/item')
      return send(res, 200, 'application/json', JSON.stringify({ id: n, title: renderedTitle(n), price: renderedPrice(n) }));
    send(res, 404, 'text/plain', 'not found');
  };
}

/** Every page a full crawl loads: listings, then details. */
export function renderedPaths(count: number, perPage: number): string[] {
  const paths: string[] = [];
  for (let k = 1; k <= Math.ceil(count / perPage); k++) paths.push(renderedListingPath(k));
  for (let n = 1; n <= count; n++) paths.push(renderedItemPath(n));
  return paths;
}
