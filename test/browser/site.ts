// A local site whose content is made by script, for the browser tests: the
// HTML a plain fetch gets holds an empty list and a script; the items come from
// a JSON endpoint. Every request is logged with its headers, so a test can show
// on the server's side what a browser sent (cookies, auth) and what it did not.
//
//   /list?page=N          3 items per page from /api/items (by /static/list.js), a next link to page N+1 up to `pages`
//   /item/N               a detail page: the title and price come from /api/item/N
//   /scroll               infinite scroll: 10 items, 10 more at each scroll to the bottom, up to 45
//   /more                 a "load more" button: 10 items, 10 more per click, the button gone at 35
//   /never                its script never renders .item
//   /members              items only for a request carrying the cookie session=s3cret (document and XHR)
//   /hostile              its script and a redirect reach for the metadata endpoint, a private address and the canary
//   /to-canary            a redirect to the canary
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface RenderedSite {
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Requests to `path` (without its query). */
  hits(path: string): SeenRequest[];
  close(): Promise<void>;
}

export interface SiteOptions {
  /** Listing pages of /list. Default 3. */
  pages?: number;
  /** Where /hostile's script and /to-canary send the browser (a loopback URL the collector may not reach). */
  canaryUrl?: string;
}

const page = (title: string, body: string, script: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>li.item { display: block; height: 120px; }</style></head><body>${body}<script>${script}</script></body></html>`;

/** The script shared by the list pages: render items into #list. */
const RENDER = `
function render(items) {
  const list = document.getElementById('list');
  for (const it of items) {
    const li = document.createElement('li');
    li.className = 'item';
    li.innerHTML = '<a href="/item/' + it.id + '">' + it.name + '</a> <span class="price">' + it.price + '</span>';
    list.appendChild(li);
  }
}`;

function items(from: number, count: number): { id: number; name: string; price: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: from + i, name: `Item ${from + i}`, price: `${from + i}.50` }));
}

export async function startRenderedSite(options: SiteOptions = {}): Promise<RenderedSite> {
  const pages = options.pages ?? 3;
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    seen.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers });
    const html = (status: number, text: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(text);
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const n = Number(url.searchParams.get('page') ?? '1');
    switch (url.pathname) {
      case '/list': {
        const next = n < pages ? `<a class="next" href="/list?page=${n + 1}">next</a>` : '';
        // As most such sites do: an empty list and a script bundle that fills it.
        return html(200, page(`List ${n}`, `<ul id="list"></ul>${next}<script src="/static/list.js"></script>`, ''));
      }
      case '/static/list.js':
        return res
          .writeHead(200, { 'content-type': 'text/javascript' })
          .end(`${RENDER}\nfetch('/api/items' + location.search).then(r => r.json()).then(render);`);
      case '/api/items':
        return json(items((n - 1) * 3 + 1, 3));
      case '/scroll':
        return html(
          200,
          page(
            'Scroll',
            '<ul id="list"></ul>',
            `${RENDER}
let loaded = 0, busy = false;
function more() {
  if (busy || loaded >= 45) return;
  busy = true;
  fetch('/api/batch?from=' + (loaded + 1)).then(r => r.json()).then(b => { render(b); loaded += b.length; busy = false; });
}
more();
window.addEventListener('scroll', () => { if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 10) more(); });`,
          ),
        );
      case '/api/batch': {
        const from = Number(url.searchParams.get('from') ?? '1');
        // Each item is tall, so ten of them always reach below the window.
        return json(items(from, Math.min(10, 46 - from)));
      }
      case '/more':
        return html(
          200,
          page(
            'More',
            '<ul id="list"></ul><button class="load-more">Load more</button>',
            `${RENDER}
let loaded = 0;
const button = document.querySelector('.load-more');
function more() {
  fetch('/api/batch?from=' + (loaded + 1)).then(r => r.json()).then(b => {
    render(b.slice(0, Math.min(b.length, 35 - loaded)));
    loaded = Math.min(35, loaded + b.length);
    if (loaded >= 35) button.remove();
  });
}
button.addEventListener('click', more);
more();`,
          ),
        );
      case '/never':
        return html(200, page('Never', '<ul id="list"></ul>', 'setInterval(() => {}, 1000);'));
      case '/members': {
        const member = /(^|;\s*)session=s3cret(;|$)/.test(req.headers.cookie ?? '');
        return html(
          200,
          page(
            'Members',
            `<p class="who">${member ? 'member' : 'guest'}</p><ul id="list"></ul>`,
            `${RENDER}\nfetch('/api/members').then(r => r.json()).then(render);`,
          ),
          { 'set-cookie': 'visited=yes; Path=/' },
        );
      }
      case '/api/members': {
        const member = /(^|;\s*)session=s3cret(;|$)/.test(req.headers.cookie ?? '');
        return json(member ? items(100, 2) : []);
      }
      case '/hostile': {
        const canary = options.canaryUrl ?? 'http://127.0.0.1:9';
        return html(
          200,
          page(
            'Hostile',
            `<ul id="list"></ul><img src="${canary}/img">`,
            `${RENDER}
const tries = ['http://169.254.169.254/latest/meta-data/', '${canary}/steal', 'http://10.0.0.1/', '/to-canary'];
Promise.allSettled(tries.map(u => fetch(u).then(r => r.text()))).then(() => render([{ id: 1, name: 'done', price: '0' }]));`,
          ),
        );
      }
      case '/to-canary':
        return res.writeHead(302, { location: `${options.canaryUrl ?? 'http://127.0.0.1:9'}/redirected` }).end();
      default: {
        const m = /^\/item\/(\d+)$/.exec(url.pathname);
        if (m) {
          return html(
            200,
            page(
              `Item ${m[1]}`,
              '<h1 class="title"></h1><p class="price"></p>',
              `fetch('/api/item/${m[1]}').then(r => r.json()).then(it => { document.querySelector('h1').textContent = it.name; document.querySelector('p.price').textContent = it.price; });`,
            ),
          );
        }
        const api = /^\/api\/item\/(\d+)$/.exec(url.pathname);
        if (api) return json(items(Number(api[1]), 1)[0]);
        return html(404, page('Not found', '<p>not found</p>', ''));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    hits: (path) => seen.filter((s) => s.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A server that only counts what reaches it: the evidence that the guard let nothing through. */
export async function startCanary(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
