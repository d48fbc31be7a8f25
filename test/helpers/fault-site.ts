// A local HTTP server whose routes misbehave on purpose, for tests of the
// fetch layer and of the engine's handling of failures. Real sockets on
// 127.0.0.1 with a free port; every request is counted per path.
//
//   const site = await startFaultSite();
//   await fetcher.fetch({ url: site.at('/flaky/a?fails=2'), ... }, policy);
//   expect(site.hits('/flaky/a')).toBe(3);
//   await site.close();
//
// Stateful routes (`/flaky/KEY`, `/retry-after/.../KEY`, `/reset-then-ok/KEY`,
// `/stall-then-ok/KEY`) count hits per full path, so each test picks its own
// KEY and gets a fresh counter without restarting the site.
//
// Routes (query parameters in brackets, with defaults):
//
// | path                                   | behaviour |
// | -------------------------------------- | --------- |
// | /ok                                    | 200 small UTF-8 HTML page (`PAGE_TITLE` in <h1>) |
// | /json                                  | 200 `{"ok":true,"items":[1,2,3]}` |
// | /echo                                  | 200 JSON `{method, path, query, headers, body}` of the request |
// | /status/CODE [retryAfter]              | that status, tiny text body; `Retry-After` when given |
// | /delay/MS                              | 200 page after MS ms |
// | /flaky/KEY [fails=2, status=503]       | first `fails` hits answer `status` (a list like `500,502,503` is cycled), then 200 page |
// | /retry-after/seconds/KEY [fails=1, after=1, status=429] | `fails` hits of `status` with `Retry-After: after` (seconds), then 200 |
// | /retry-after/date/KEY [fails=1, after=2, status=429]    | same with an HTTP-date `after` s ahead (whole seconds, so the real wait is after-1..after s) |
// | /reset/before-headers                  | socket destroyed before any response |
// | /reset/after-headers                   | headers and 100 body bytes of a declared 10,000, then socket destroyed |
// | /reset-then-ok/KEY [fails=1, when=before|after] | the reset above for `fails` hits, then 200 |
// | /stall [after=100]                     | headers and `after` body bytes of a declared 10,000, then nothing, forever |
// | /stall-headers                         | never answers |
// | /stall-then-ok/KEY [fails=1]           | `/stall` for `fails` hits, then 200 |
// | /truncated                             | Content-Length 1000, 100 bytes sent, connection ended |
// | /big [bytes=67108864, chunked=0]       | `bytes` of "a" streamed (Content-Length unless chunked=1) |
// | /gzip-bomb, /deflate-bomb, /br-bomb    | ~200 KB (gzip, deflate) / ~40 KB (br) that inflate to BOMB_INFLATED_BYTES of zeros; made on first use |
// | /gzip, /deflate, /deflate-raw, /br     | the /ok page with that Content-Encoding (/deflate-raw says `deflate` but sends raw deflate) |
// | /bad-gzip                              | Content-Encoding gzip, body not gzip |
// | /redirect/self                         | 302 to itself |
// | /redirect/loop, /redirect/loop-b       | 302 to each other |
// | /redirect/chain/N                      | 302 to /redirect/chain/N-1 ... /redirect/chain/0 is the 200 page |
// | /redirect/to [url, status=302]         | `status` to `url` (absolute or relative) |
// | /redirect/metadata                     | 302 to http://169.254.169.254/latest/meta-data/ |
// | /redirect/loopback                     | 302 to http://127.0.0.2:PORT/ok (another loopback address, nothing listens there) |
// | /redirect/ipv6-loopback                | 302 to http://[::1]:PORT/ok |
// | /charset/latin1-header                 | windows-1252 bytes of LATIN1_TEXT, `charset=iso-8859-1` in Content-Type |
// | /charset/meta                          | same bytes, no charset in Content-Type, `<meta charset="windows-1252">` |
// | /charset/http-equiv                    | same bytes, `<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">` |
// | /charset/missing                       | same bytes, no charset declared anywhere (a UTF-8 reader gets U+FFFD) |
// | /charset/unknown                       | UTF-8 bytes of LATIN1_TEXT, `charset=x-no-such-charset` |
// | /charset/utf8-bom                      | UTF-8 with a byte order mark, Content-Type says iso-8859-1 (the BOM wins) |
// | /malformed/html                        | 200 text/html with unclosed tags, stray `<` and a bad entity |
// | /malformed/json                        | 200 application/json that is cut off mid-array |
//
// Anything else is 404. `site.route(path, handler)` adds or replaces a route
// (`/prefix/*` matches below a prefix), for pages a test serves itself.
import { once } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';

export const PAGE_TITLE = 'Fault site';
export const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>${PAGE_TITLE}</title></head><body><h1>${PAGE_TITLE}</h1><p>Grüße, ok.</p></body></html>`;
/** What every /charset/* page says (in various encodings). € is 0x80 in windows-1252. */
export const LATIN1_TEXT = 'Café crème brûlée, naïve façade, 5 €';
/** Size of a bomb's content once inflated. */
export const BOMB_INFLATED_BYTES = 200 * 1024 * 1024;

interface SeenRequest {
  method: string;
  /** Path with query. */
  url: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface RouteContext {
  url: URL;
  /** Hits of this path so far, this one included (1 on the first). */
  hit: number;
  /** The request body, read before the handler runs. */
  body: string;
  site: FaultSite;
}

type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => void | Promise<void>;

export interface FaultSite {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Absolute URL of a path on this site. */
  at(path: string): string;
  /** Requests received for a path (without query), resets and stalls included. */
  hits(path: string): number;
  totalHits(): number;
  /** Most requests in flight at once on one path, or on the whole site when no path is given. */
  maxInFlight(path?: string): number;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  /** Every request received, in order. */
  readonly requests: readonly SeenRequest[];
  /** Forgets hits (and so the state of stateful routes), in-flight maxima, the request log and the connection count. */
  reset(): void;
  route(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export interface FaultSiteOptions {
  routes?: Record<string, RouteHandler>;
}

type BuiltIn = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext, parts: string[]) => void | Promise<void>;

function intParam(url: URL, name: string, fallback: number): number {
  const value = url.searchParams.get(name);
  return value === null || value === '' ? fallback : Number(value);
}

function page(res: ServerResponse, status = 200, body = PAGE_HTML, type = 'text/html; charset=utf-8'): void {
  const data = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': type, 'content-length': data.length });
  res.end(data);
}

function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

/** Headers now, some body bytes, and a promise of more that never comes. */
function stall(res: ServerResponse, after: number): void {
  res.writeHead(200, { 'content-type': 'text/html', 'content-length': 10_000 });
  res.write('x'.repeat(after));
  res.flushHeaders();
}

function resetSocket(req: IncomingMessage, res: ServerResponse, when: string): void {
  if (when === 'after') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': 10_000 });
    res.write('x'.repeat(100), () => setTimeout(() => req.socket.destroy(), 10));
    return;
  }
  req.socket.destroy();
}

function failStatus(url: URL, hit: number, fallback: string): number {
  const list = (url.searchParams.get('status') ?? fallback).split(',').map(Number);
  return list[(hit - 1) % list.length]!;
}

// Bombs are made once per process, on first use, by streaming zeros through
// the compressor a megabyte at a time (never 200 MB in memory).
const bombs = new Map<string, Promise<Buffer>>();

/** The compressed bytes a /KIND-bomb route sends; await it before timing a test, since the first call takes ~0.3 s. */
export function bomb(kind: 'gzip' | 'deflate' | 'br'): Promise<Buffer> {
  let made = bombs.get(kind);
  if (made === undefined) {
    made = (async () => {
      const stream =
        kind === 'gzip'
          ? zlib.createGzip({ level: 9 })
          : kind === 'deflate'
            ? zlib.createDeflate({ level: 9 })
            : zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const zeros = Buffer.alloc(1024 * 1024);
      for (let written = 0; written < BOMB_INFLATED_BYTES; written += zeros.length) {
        if (!stream.write(zeros)) await once(stream, 'drain');
      }
      stream.end();
      await once(stream, 'end');
      return Buffer.concat(chunks);
    })();
    bombs.set(kind, made);
  }
  return made;
}

function encodedPage(res: ServerResponse, coding: string, data: Buffer): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': coding, 'content-length': data.length });
  res.end(data);
}

/** Text as windows-1252 bytes (Node's 'latin1' would turn € into 0xAC; windows-1252 has it at 0x80). */
function windows1252(text: string): Buffer {
  return Buffer.from(text.replaceAll('€', '\u0080'), 'latin1');
}

function latin1Page(extraHead = ''): Buffer {
  return windows1252(`<!doctype html><html><head>${extraHead}<title>latin</title></head><body><p>${LATIN1_TEXT}</p></body></html>`);
}

function bytesPage(res: ServerResponse, type: string, data: Buffer): void {
  res.writeHead(200, { 'content-type': type, 'content-length': data.length });
  res.end(data);
}

/** Waits for 'drain', or for the client to go away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams `total` bytes of "a" (the /big route). Resolves, once the response is
 * done or the client went away, with the bytes handed to the socket: a client
 * that stops reading early makes this much less than `total`.
 */
export async function streamBytes(res: ServerResponse, total: number, chunked: boolean): Promise<number> {
  res.writeHead(200, chunked ? { 'content-type': 'text/plain' } : { 'content-type': 'text/plain', 'content-length': total });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  while (sent < total && !res.destroyed) {
    const n = Math.min(chunk.length, total - sent);
    sent += n;
    if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await drained(res);
  }
  if (!res.destroyed) res.end();
  return sent;
}

function builtInRoutes(port: () => number): [RegExp, BuiltIn][] {
  return [
    [/^\/ok$/, (_req, res) => page(res)],
    [/^\/json$/, (_req, res) => page(res, 200, JSON.stringify({ ok: true, items: [1, 2, 3] }), 'application/json')],
    [
      /^\/echo$/,
      (req, res, ctx) =>
        page(
          res,
          200,
          JSON.stringify({
            method: req.method,
            path: ctx.url.pathname,
            query: Object.fromEntries(ctx.url.searchParams),
            headers: req.headers,
            body: ctx.body,
          }),
          'application/json',
        ),
    ],
    [
      /^\/status\/(\d{3})$/,
      (_req, res, ctx, [code]) => {
        const retryAfter = ctx.url.searchParams.get('retryAfter');
        res.writeHead(Number(code), { 'content-type': 'text/plain', ...(retryAfter !== null ? { 'retry-after': retryAfter } : {}) });
        res.end(`status ${code}`);
      },
    ],
    [/^\/delay\/(\d+)$/, (_req, res, _ctx, [ms]) => void setTimeout(() => !res.destroyed && page(res), Number(ms))],
    [
      /^\/flaky\/[^/]+$/,
      (_req, res, ctx) => {
        if (ctx.hit <= intParam(ctx.url, 'fails', 2)) page(res, failStatus(ctx.url, ctx.hit, '503'), 'failing on purpose', 'text/plain');
        else page(res);
      },
    ],
    [
      /^\/retry-after\/(seconds|date)\/[^/]+$/,
      (_req, res, ctx, [form]) => {
        if (ctx.hit > intParam(ctx.url, 'fails', 1)) return page(res);
        const after = intParam(ctx.url, 'after', form === 'date' ? 2 : 1);
        const value = form === 'seconds' ? String(after) : new Date(Date.now() + after * 1000).toUTCString();
        res.writeHead(failStatus(ctx.url, ctx.hit, '429'), { 'content-type': 'text/plain', 'retry-after': value });
        res.end('slow down');
      },
    ],
    [/^\/reset\/(before|after)-headers$/, (req, res, _ctx, [when]) => resetSocket(req, res, when!)],
    [
      /^\/reset-then-ok\/[^/]+$/,
      (req, res, ctx) => {
        if (ctx.hit <= intParam(ctx.url, 'fails', 1)) resetSocket(req, res, ctx.url.searchParams.get('when') ?? 'before');
        else page(res);
      },
    ],
    [/^\/stall$/, (_req, res, ctx) => stall(res, intParam(ctx.url, 'after', 100))],
    [/^\/stall-headers$/, () => undefined],
    [
      /^\/stall-then-ok\/[^/]+$/,
      (_req, res, ctx) => {
        if (ctx.hit <= intParam(ctx.url, 'fails', 1)) stall(res, 100);
        else page(res);
      },
    ],
    [
      /^\/truncated$/,
      (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': 1000 });
        res.write('y'.repeat(100), () => req.socket.end());
      },
    ],
    [
      /^\/big$/,
      async (_req, res, ctx) =>
        void (await streamBytes(res, intParam(ctx.url, 'bytes', 64 * 1024 * 1024), ctx.url.searchParams.get('chunked') === '1')),
    ],
    [/^\/gzip-bomb$/, async (_req, res) => encodedPage(res, 'gzip', await bomb('gzip'))],
    [/^\/deflate-bomb$/, async (_req, res) => encodedPage(res, 'deflate', await bomb('deflate'))],
    [/^\/br-bomb$/, async (_req, res) => encodedPage(res, 'br', await bomb('br'))],
    [/^\/gzip$/, (_req, res) => encodedPage(res, 'gzip', zlib.gzipSync(PAGE_HTML))],
    [/^\/deflate$/, (_req, res) => encodedPage(res, 'deflate', zlib.deflateSync(PAGE_HTML))],
    [/^\/deflate-raw$/, (_req, res) => encodedPage(res, 'deflate', zlib.deflateRawSync(PAGE_HTML))],
    [/^\/br$/, (_req, res) => encodedPage(res, 'br', zlib.brotliCompressSync(PAGE_HTML))],
    [/^\/bad-gzip$/, (_req, res) => encodedPage(res, 'gzip', Buffer.from('this is not gzip at all, not even close'))],
    [/^\/redirect\/self$/, (_req, res) => redirect(res, '/redirect/self')],
    [/^\/redirect\/loop$/, (_req, res) => redirect(res, '/redirect/loop-b')],
    [/^\/redirect\/loop-b$/, (_req, res) => redirect(res, '/redirect/loop')],
    [
      /^\/redirect\/chain\/(\d+)$/,
      (_req, res, _ctx, [n]) => (Number(n) === 0 ? page(res) : redirect(res, `/redirect/chain/${Number(n) - 1}`)),
    ],
    [/^\/redirect\/to$/, (_req, res, ctx) => redirect(res, ctx.url.searchParams.get('url') ?? '/ok', intParam(ctx.url, 'status', 302))],
    [/^\/redirect\/metadata$/, (_req, res) => redirect(res, 'http://169.254.169.254/latest/meta-data/')],
    [/^\/redirect\/loopback$/, (_req, res) => redirect(res, `http://127.0.0.2:${port()}/ok`)],
    [/^\/redirect\/ipv6-loopback$/, (_req, res) => redirect(res, `http://[::1]:${port()}/ok`)],
    [/^\/charset\/latin1-header$/, (_req, res) => bytesPage(res, 'text/html; charset=iso-8859-1', latin1Page())],
    [/^\/charset\/meta$/, (_req, res) => bytesPage(res, 'text/html', latin1Page('<meta charset="windows-1252">'))],
    [
      /^\/charset\/http-equiv$/,
      (_req, res) => bytesPage(res, 'text/html', latin1Page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')),
    ],
    [/^\/charset\/missing$/, (_req, res) => bytesPage(res, 'text/html', latin1Page())],
    [
      /^\/charset\/unknown$/,
      (_req, res) => bytesPage(res, 'text/html; charset=x-no-such-charset', Buffer.from(`<p>${LATIN1_TEXT}</p>`, 'utf8')),
    ],
    [
      /^\/charset\/utf8-bom$/,
      (_req, res) =>
        bytesPage(
          res,
          'text/html; charset=iso-8859-1',
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<p>${LATIN1_TEXT}</p>`, 'utf8')]),
        ),
    ],
    [
      /^\/malformed\/html$/,
      (_req, res) =>
        page(
          res,
          200,
          '<html><head><title>broken</title><body><div class="a"><p>one<p>two &bogus; < 3 <b>bold</div></span><ul><li>x<li>y',
          'text/html; charset=utf-8',
        ),
    ],
    [/^\/malformed\/json$/, (_req, res) => page(res, 200, '{"items": [{"id": 1}, {"id": 2},', 'application/json')],
  ];
}

export async function startFaultSite(options: FaultSiteOptions = {}): Promise<FaultSite> {
  const hitCounts = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const maxInFlightByPath = new Map<string, number>();
  let inFlightTotal = 0;
  let maxInFlightTotal = 0;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const custom = new Map<string, RouteHandler>(Object.entries(options.routes ?? {}));
  let port = 0;
  const builtIns = builtInRoutes(() => port);

  const findCustom = (path: string): RouteHandler | undefined => {
    const exact = custom.get(path);
    if (exact) return exact;
    for (const [pattern, handler] of custom) {
      if (pattern.endsWith('/*') && path.startsWith(pattern.slice(0, -1))) return handler;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    const hit = (hitCounts.get(path) ?? 0) + 1;
    hitCounts.set(path, hit);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', path, headers: req.headers, at: performance.now() });
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    maxInFlightByPath.set(path, Math.max(maxInFlightByPath.get(path) ?? 0, now));
    inFlightTotal += 1;
    maxInFlightTotal = Math.max(maxInFlightTotal, inFlightTotal);
    res.once('close', () => {
      inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
      inFlightTotal -= 1;
    });

    const bodyChunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => bodyChunks.push(chunk));
    req.on('end', () => {
      const ctx: RouteContext = { url, hit, body: Buffer.concat(bodyChunks).toString('utf8'), site };
      const run = async (): Promise<void> => {
        const handler = findCustom(path);
        if (handler) return handler(req, res, ctx);
        for (const [pattern, builtIn] of builtIns) {
          const m = pattern.exec(path);
          if (m) return builtIn(req, res, ctx, m.slice(1));
        }
        page(res, 404, 'not found', 'text/plain');
      };
      run().catch((err: unknown) => {
        if (!res.headersSent) page(res, 500, `fault site error: ${String(err)}`, 'text/plain');
        else res.destroy();
      });
    });
  });
  let connectionCount = 0;
  server.on('connection', (socket: Socket) => {
    connectionCount += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault site: no port');
  port = address.port;
  const base = `http://127.0.0.1:${port}`;

  const site: FaultSite = {
    url: base,
    port,
    at: (path) => `${base}${path.startsWith('/') ? '' : '/'}${path}`,
    hits: (path) => hitCounts.get(path) ?? 0,
    totalHits: () => requests.length,
    maxInFlight: (path) => (path === undefined ? maxInFlightTotal : (maxInFlightByPath.get(path) ?? 0)),
    connections: () => connectionCount,
    requests,
    reset: () => {
      hitCounts.clear();
      maxInFlightByPath.clear();
      maxInFlightTotal = inFlightTotal;
      requests.length = 0;
      connectionCount = 0;
    },
    route: (path, handler) => void custom.set(path, handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return site;
}
