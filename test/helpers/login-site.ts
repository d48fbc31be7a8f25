// A site behind a login, on 127.0.0.1, for the session tests:
//
//   GET  /login            a form with a hidden CSRF token, new for each visit (and a `pre` cookie it belongs to)
//   POST /login            checks the token against the `pre` cookie and the credentials; on success sets
//                          `sid` on a 302 to /account (a redirect's Set-Cookie); wrong credentials: 401 with the form
//   GET  /account          protected: "Welcome"
//   GET  /items?page=N     protected listing, `perPage` items, a.next to the next page
//   GET  /items/ID         protected detail page
//   POST /api/login        JSON {username, password} -> {"token": ...}; wrong credentials: 401
//   GET  /api/items?page=N protected by `Authorization: Bearer TOKEN`, JSON {items, total_pages}; expired: 401
//
// Protected pages without a valid session redirect to /login (the HTML pages) or answer 401 (the
// API). A session expires after `expireAfter` protected requests (never by default). The site counts
// logins and keeps every secret it handed out, so tests can look for them in what a run wrote.
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoginSiteOptions {
  items?: number;
  perPage?: number;
  /** Protected requests a session serves before it expires. Default: no expiry. */
  expireAfter?: number;
  user?: string;
  password?: string;
}

export interface LoginSite {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Successful logins (form and API). */
  logins(): number;
  /** Login attempts refused (wrong credentials or CSRF token). */
  refusedLogins(): number;
  /** Protected pages served with a valid session, by path with query. */
  served(): string[];
  /** Every session id and API token the site handed out, and the CSRF tokens of successful logins: none may appear in what a run writes. */
  issuedSecrets(): string[];
  close(): Promise<void>;
}

interface Session {
  requests: number;
}

export const ITEM_TITLE = (id: number) => `Item ${id}`;

export async function startLoginSite(options: LoginSiteOptions = {}): Promise<LoginSite> {
  const total = options.items ?? 23;
  const perPage = options.perPage ?? 5;
  const user = options.user ?? 'reader';
  const password = options.password ?? 'open-sesame-42';
  const pages = Math.ceil(total / perPage);
  const csrfByPre = new Map<string, string>();
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, Session>();
  const issued: string[] = [];
  const served: string[] = [];
  let logins = 0;
  let refused = 0;

  /** A random secret; `keep`: a credential the run holds (not a CSRF token of a form nobody posted). */
  const secret = (keep = true): string => {
    const value = randomBytes(16).toString('hex');
    if (keep) issued.push(value);
    return value;
  };
  /** A session that may serve one more request, counted; undefined when there is none or it has expired. */
  const use = (store: Map<string, Session>, key: string | undefined): Session | undefined => {
    const s = key === undefined ? undefined : store.get(key);
    if (!s) return undefined;
    s.requests++;
    if (options.expireAfter !== undefined && s.requests > options.expireAfter) {
      store.delete(key!);
      return undefined;
    }
    return s;
  };

  const loginForm = (csrf: string, error = '') =>
    `<!doctype html><html><body><h1>Sign in</h1>${error ? `<p class="error">${error}</p>` : ''}
<form id="login" method="post" action="/login">
<input type="hidden" name="csrf" value="${csrf}">
<input name="username"><input name="password" type="password"><button>Sign in</button>
</form></body></html>`;

  const listing = (page: number) => {
    const ids = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * perPage, page * perPage);
    const items = ids.map((id) => `<li class="item"><a href="/items/${id}">${ITEM_TITLE(id)}</a> <span class="price">${id}.50</span></li>`);
    const next = page < pages ? `<a class="next" href="/items?page=${page + 1}">next</a>` : '';
    return `<!doctype html><html><body><h1>Items, page ${page}</h1><ul>${items.join('')}</ul>${next}</body></html>`;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    const cookies = parseCookies(req.headers.cookie);
    const html = (status: number, text: string, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(text);
    };
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const toLogin = () => {
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` });
      res.end();
    };

    if (url.pathname === '/login' && req.method === 'GET') {
      const pre = randomBytes(8).toString('hex');
      const csrf = secret(false);
      csrfByPre.set(pre, csrf);
      return html(200, loginForm(csrf), { 'set-cookie': `pre=${pre}; Path=/; HttpOnly` });
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const expected = cookies.pre === undefined ? undefined : csrfByPre.get(cookies.pre);
      if (expected === undefined || form.get('csrf') !== expected) {
        refused++;
        return html(400, '<p>bad or missing CSRF token</p>');
      }
      csrfByPre.delete(cookies.pre!);
      if (form.get('username') !== user || form.get('password') !== password) {
        refused++;
        return html(401, loginForm(secret(false), 'wrong user name or password'));
      }
      logins++;
      issued.push(expected);
      const sid = secret();
      sessions.set(sid, { requests: 0 });
      res.writeHead(302, { location: '/account', 'set-cookie': [`sid=${sid}; Path=/; HttpOnly`, 'theme=dark; Path=/'] });
      return void res.end();
    }
    if (url.pathname === '/api/login' && req.method === 'POST') {
      let sent: { username?: string; password?: string } = {};
      try {
        sent = JSON.parse(body) as typeof sent;
      } catch {
        // An empty or broken body is a wrong login.
      }
      if (sent.username !== user || sent.password !== password) {
        refused++;
        return json(401, { error: 'wrong user name or password' });
      }
      logins++;
      const token = secret();
      tokens.set(token, { requests: 0 });
      return json(200, { token, user });
    }
    if (url.pathname === '/api/items') {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!use(tokens, bearer)) return json(401, { error: 'session expired' });
      served.push(url.pathname + url.search);
      const page = Number(url.searchParams.get('page') ?? 1);
      const ids = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * perPage, page * perPage);
      return json(200, { items: ids.map((id) => ({ id, title: ITEM_TITLE(id) })), total_pages: pages });
    }
    if (url.pathname === '/account' || url.pathname === '/items' || url.pathname.startsWith('/items/')) {
      if (!use(sessions, cookies.sid)) return toLogin();
      served.push(url.pathname + url.search);
      if (url.pathname === '/account') return html(200, `<h1>Welcome ${user}</h1>`);
      if (url.pathname === '/items') return html(200, listing(Number(url.searchParams.get('page') ?? 1)));
      const id = Number(url.pathname.slice('/items/'.length));
      if (!(id >= 1 && id <= total)) return html(404, 'no such item');
      return html(200, `<!doctype html><html><body><h1>${ITEM_TITLE(id)}</h1><p class="price">${id}.50</p></body></html>`);
    }
    html(404, 'not found');
  };

  const server = http.createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    user,
    password,
    logins: () => logins,
    refusedLogins: () => refused,
    served: () => [...served],
    issuedSecrets: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
