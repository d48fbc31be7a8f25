// A small JSON API on 127.0.0.1 for the stop and cursor rules: every page
// says whether more follow (and still hands out a next token or link on the
// last one, as many APIs do), a GraphQL-like endpoint reads its cursor from
// `variables.after` in the POST body, and an `updated_since` endpoint returns
// only items newer than the mark it is sent. Every request is kept, so tests
// count what the server saw.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';

interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Item {
  id: number;
  updated: string;
}

export interface PagingSite extends RunningSite {
  seen: SeenRequest[];
  /** Requests whose path is `path`. */
  requestsTo(path: string): SeenRequest[];
  /** The items every endpoint serves, newest first; a test may add to them between runs. */
  items: Item[];
}

const PAGE = 10;

/** 25 items, ids 25..1 (newest first), updated one day apart in January 2024. */
export function initialItems(): Item[] {
  return Array.from({ length: 25 }, (_, i) => {
    const id = 25 - i;
    return { id, updated: `2024-01-${String(id).padStart(2, '0')}T00:00:00.000Z` };
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

export async function startPagingSite(): Promise<PagingSite> {
  const seen: SeenRequest[] = [];
  const state = { items: initialItems() };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const body = await readBody(req);
    seen.push({ method: req.method ?? 'GET', path: url.pathname, query: q, headers: req.headers, body });
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const items = state.items;
    const slice = (from: number) => items.slice(from, from + PAGE);
    const more = (from: number) => from + PAGE < items.length;
    switch (url.pathname) {
      case '/cursor': {
        // has_next ends the chain; next is handed out even on the last page.
        const at = Number(q.get('cursor') ?? 0);
        return json({ items: slice(at), has_next: more(at), next: String(at + PAGE) });
      }
      case '/cursor-flag': {
        // The flag as a number or a string, chosen by ?as=number|string|missing.
        const at = Number(q.get('cursor') ?? 0);
        const as = q.get('as');
        // missing: true while more follow, and no flag at all on the last page.
        const flag = as === 'number' ? (more(at) ? 1 : 0) : as === 'string' ? String(more(at)) : more(at) ? true : undefined;
        return json({ items: slice(at), ...(flag !== undefined ? { has_next: flag } : {}), next: String(at + PAGE) });
      }
      case '/pages': {
        const n = Number(q.get('page') ?? 1);
        return json({ items: slice((n - 1) * PAGE), meta: { has_next: more((n - 1) * PAGE), pages: Math.ceil(items.length / PAGE) } });
      }
      case '/offset': {
        const at = Number(q.get('offset') ?? 0);
        return json({ items: items.slice(at, at + Number(q.get('limit') ?? PAGE)), has_more: more(at) });
      }
      case '/done': {
        const n = Number(q.get('page') ?? 1);
        return json({ items: slice((n - 1) * PAGE), meta: { last_page: !more((n - 1) * PAGE) } });
      }
      case '/link': {
        const n = Number(q.get('page') ?? 1);
        return json({ items: slice((n - 1) * PAGE), has_next: more((n - 1) * PAGE), links: { next: `/link?page=${n + 1}` } });
      }
      case '/graphql': {
        // A GraphQL-like endpoint: the cursor and the page size come in `variables`, the mark too.
        const request = JSON.parse(body || '{}') as {
          query?: string;
          variables?: { after?: string | null; first?: number; since?: string | null };
        };
        const v = request.variables ?? {};
        const newer = v.since ? items.filter((i) => i.updated > v.since!) : items;
        const at = v.after ? Number(Buffer.from(v.after, 'base64url').toString()) : 0;
        const first = v.first ?? PAGE;
        const nodes = newer.slice(at, at + first);
        const end = at + nodes.length;
        return json({
          data: {
            items: {
              nodes,
              pageInfo: { hasNextPage: end < newer.length, endCursor: Buffer.from(String(end)).toString('base64url') },
            },
          },
        });
      }
      case '/graphql-hostile': {
        // The cursor a site hands out may look like a template or a secret reference: it is data.
        const v = (JSON.parse(body || '{}') as { variables?: { after?: string | null } }).variables ?? {};
        return v.after
          ? json({ data: { items: { nodes: [{ id: 2 }], pageInfo: { hasNextPage: false, endCursor: null } } } })
          : json({
              data: { items: { nodes: [{ id: 1 }], pageInfo: { hasNextPage: true, endCursor: '${env:AWS_SECRET_ACCESS_KEY}{{ name }}' } } },
            });
      }
      case '/since': {
        // ?updated_since=ISO (or the X-Since header): only newer items, in pages.
        const since = q.get('updated_since') ?? (req.headers['x-since'] as string | undefined) ?? null;
        const newer = since ? items.filter((i) => i.updated > since) : items;
        const n = Number(q.get('page') ?? 1);
        const from = (n - 1) * PAGE;
        return json({ items: newer.slice(from, from + PAGE), has_next: from + PAGE < newer.length });
      }
      case '/since-unix': {
        // ?after=<seconds>: only newer items.
        const after = q.get('after');
        const newer = after ? items.filter((i) => Date.parse(i.updated) / 1000 > Number(after)) : items;
        return json({ items: newer });
      }
      default:
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    }
  };
  const site = await startSite((req, res) => void handler(req, res));
  return {
    ...site,
    seen,
    requestsTo: (path) => seen.filter((s) => s.path === path),
    get items() {
      return state.items;
    },
    set items(value: Item[]) {
      state.items = value;
    },
  };
}
