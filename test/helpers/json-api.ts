// A small JSON API on 127.0.0.1 with every pagination style the language
// supports, over `total` items with ids 1..total (newest = highest id first).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';

export interface JsonApiOptions {
  total?: number;
  pageSize?: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

export function startJsonApi(options: JsonApiOptions = {}): Promise<RunningSite> {
  const total = options.total ?? 25;
  const size = options.pageSize ?? 10;
  const items = Array.from({ length: total }, (_, i) => ({
    id: total - i,
    name: `item ${total - i}`,
    updated: `2024-01-${String(((total - i) % 28) + 1).padStart(2, '0')}`,
  }));
  const slice = (from: number, n = size) => items.slice(from, from + n);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const json = (body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const page = (n: number) => slice((n - 1) * size);
    const pages = Math.ceil(total / size);
    switch (url.pathname) {
      case '/pages': // ?page=N, with total_pages
        return json({ total_pages: pages, items: page(Number(q.get('page') ?? 1)) });
      case '/pages-forever': // never empty: the same last page repeats past the end
        return json({ items: page(Math.min(Number(q.get('page') ?? 1), pages)) });
      case '/offset':
        return json({ total, items: slice(Number(q.get('offset') ?? 0), Number(q.get('limit') ?? size)) });
      case '/cursor': {
        const at = Number(q.get('cursor') ?? 0);
        const next = at + size < total ? String(at + size) : null;
        return json({ items: slice(at), meta: { next } });
      }
      case '/cursor-header': {
        const at = Number(req.headers['x-cursor'] ?? 0);
        const headers: Record<string, string> = at + size < total ? { 'x-next': String(at + size) } : {};
        return json({ items: slice(at) }, headers);
      }
      case '/cursor-body': {
        const body = req.method === 'POST' ? (JSON.parse((await readBody(req)) || '{}') as { after?: number; q?: string }) : {};
        const at = Number(body.after ?? 0);
        return json({ query: body.q ?? null, items: slice(at), next: at + size < total ? at + size : null });
      }
      case '/link': {
        const n = Number(q.get('page') ?? 1);
        const host = `http://${req.headers.host}`;
        const headers: Record<string, string> =
          n < pages ? { link: `<${host}/link?page=${n + 1}>; rel="next", <${host}/link?page=${pages}>; rel="last"` } : {};
        return json(page(n), headers);
      }
      case '/next-path': {
        const n = Number(q.get('page') ?? 1);
        return json({ items: page(n), links: { next: n < pages ? `/next-path?page=${n + 1}` : null } });
      }
      case '/loop': // the next link always points back at page 1
        return json({ items: page(1), links: { next: '/loop?page=1' } });
      default: {
        const m = /^\/p\/(\d+)\/items$/.exec(url.pathname); // page number in the path
        if (m) return json({ items: page(Number(m[1])) });
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"message":"not found"}');
      }
    }
  };
  return startSite((req, res) => void handler(req, res));
}
