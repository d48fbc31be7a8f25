// A JSON API behind OAuth2 client credentials, with a robots.txt, on a local
// fault site (so every request is counted and timed). For the tests of
// request.auth and request.robots through `collect run`, Lambda and the guide.
//
//   POST /oauth/token        client credentials (form fields or Basic) -> {access_token, token_type, expires_in}
//   GET  /robots.txt         `robots` (default: Disallow: /api/private/)
//   GET  /api/items?page=N   bearer required; 3 items a page, 2 pages; each item links its detail page;
//                            the listing echoes the token it was sent, as careless APIs do
//   GET  /api/items/ID       bearer required; the item's detail
//   GET  /api/private/ID     the detail of the item `privateItem` names (robots.txt disallows it)
import type { ServerResponse } from 'node:http';
import { startFaultSite, type FaultSite } from './fault-site.ts';

export interface AuthSiteOptions {
  clientId: string;
  clientSecret: string;
  robots?: string;
  /** The item whose detail link goes under /api/private/ (default none). */
  privateItem?: number;
  expiresIn?: number;
}

export interface AuthSite {
  site: FaultSite;
  url: string;
  /** Tokens handed out, in order. */
  tokens: string[];
  close(): Promise<void>;
}

const PAGE_SIZE = 3;
const PAGES = 2;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startAuthSite(options: AuthSiteOptions): Promise<AuthSite> {
  const tokens: string[] = [];
  const site = await startFaultSite();
  const valid = (authorization: string | undefined) => tokens.some((t) => authorization === `Bearer ${t}`);
  const basic = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
  site.route('/robots.txt', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(options.robots ?? 'User-agent: *\nDisallow: /api/private/\n');
  });
  site.route('/oauth/token', (req, res, ctx) => {
    const form = new URLSearchParams(ctx.body);
    const client =
      req.headers.authorization === basic ||
      (form.get('client_id') === options.clientId && form.get('client_secret') === options.clientSecret);
    if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials' || !client)
      return json(res, 401, { error: 'invalid_client' });
    const token = `at-${tokens.length + 1}-${Math.random().toString(36).slice(2, 12)}`;
    tokens.push(token);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 });
  });
  site.route('/api/*', (req, res, ctx) => {
    if (!valid(req.headers.authorization)) return json(res, 401, { error: 'invalid_token' });
    const path = ctx.url.pathname;
    if (path === '/api/items') {
      const page = Number(ctx.url.searchParams.get('page') ?? '1');
      const ids = Array.from({ length: PAGE_SIZE }, (_, i) => (page - 1) * PAGE_SIZE + i + 1);
      return json(res, 200, {
        items: ids.map((id) => ({
          id,
          name: `item ${id}`,
          detail: id === options.privateItem ? `/api/private/${id}` : `/api/items/${id}`,
          seen_as: req.headers.authorization,
        })),
        next: page < PAGES ? `/api/items?page=${page + 1}` : null,
      });
    }
    const id = Number(path.split('/').pop());
    json(res, 200, { description: `the ${id}th item`, price: id * 10 });
  });
  return { site, url: site.url, tokens, close: () => site.close() };
}
