// The network guard for a browser: a forward proxy on 127.0.0.1 that every
// request of a browser context goes through (the context's `proxy`, loopback
// included), checking each target with the same NetworkGuard as the HTTP
// fetcher and connecting through its guarded lookup. Route interception
// (browser-layer.ts) checks each request first, but Chromium follows redirects
// without asking the route again and resolves names itself; here every hop of
// a redirect, every tunnel (https, WebSocket) and every name is checked at the
// moment it is connected, so a redirect to a metadata endpoint or a name that
// re-resolves to a private address (DNS rebinding) is refused too.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { BlockedAddressError } from '../fetch/errors.ts';
import { guardedLookup, type NetworkGuard, type Resolver } from '../fetch/guard.ts';

/** A request the guard refused: what, and why (the guard's words). */
export interface Refusal {
  url: string;
  /** The refused address or host. */
  address: string;
  /** What it is, in the guard's words ("a loopback address"). */
  reason: string;
  metadata: boolean;
}

/** Headers that belong to one connection, not to the request passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
]);

/** Refusals kept for messages; a page that tries thousands of blocked URLs does not grow memory. */
const MAX_REFUSALS = 100;

export class GuardProxy {
  readonly #server: http.Server;
  readonly #agent: http.Agent;
  readonly #guard: NetworkGuard;
  readonly #lookup: ReturnType<typeof guardedLookup>;
  readonly #sockets = new Set<Duplex>();
  readonly #refusals: Refusal[] = [];

  readonly #onRefuse: (refusal: Refusal) => void;

  private constructor(guard: NetworkGuard, resolver: Resolver | undefined, onRefuse: (refusal: Refusal) => void) {
    this.#guard = guard;
    this.#onRefuse = onRefuse;
    this.#lookup = guardedLookup(guard, resolver);
    this.#agent = new http.Agent({ keepAlive: true, lookup: this.#lookup } as http.AgentOptions);
    this.#server = http.createServer((req, res) => this.#forward(req, res));
    this.#server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#tunnel(req, socket, head));
    // A plain ws:// upgrade sent to a proxy: Chromium tunnels WebSockets with CONNECT, so refuse anything else.
    this.#server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    this.#server.on('connection', (socket: net.Socket) => this.#track(socket));
  }

  /**
   * A proxy for one guard, listening on a free port of 127.0.0.1. `resolver`: tests point names
   * anywhere; `onRefuse`: told of every refusal (the route's too).
   */
  static async start(guard: NetworkGuard, resolver?: Resolver, onRefuse: (refusal: Refusal) => void = () => {}): Promise<GuardProxy> {
    const proxy = new GuardProxy(guard, resolver, onRefuse);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** The proxy's address, for the browser context. */
  get server(): string {
    const { port } = this.#server.address() as net.AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The refusal of `url` (or of its host, for a tunnel), if there was one. */
  refusalOf(url: string): Refusal | undefined {
    let host: string | undefined;
    try {
      host = new URL(url).host;
    } catch {
      host = undefined;
    }
    return this.#refusals.findLast((r) => r.url === url || (host !== undefined && r.url === `${host}`));
  }

  /** Remembers a refusal the route made before the request got here. */
  noteRefusal(refusal: Refusal): void {
    this.#onRefuse(refusal);
    this.#refusals.push(refusal);
    if (this.#refusals.length > MAX_REFUSALS) this.#refusals.shift();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#agent.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** A plain http:// request, in absolute form. */
  #forward(req: IncomingMessage, res: ServerResponse): void {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const verdict = this.#guard.checkUrl(target);
    if (!verdict.allowed) {
      this.#refuse(res, target.href, new BlockedAddressError(target.href, target.hostname, verdict.reason, verdict.metadata ?? false));
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const upstream = http.request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
        agent: this.#agent,
      },
      (answer) => {
        const back: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (err instanceof BlockedAddressError)
        this.#refuse(res, target.href, new BlockedAddressError(target.href, err.address, err.reason, err.metadata));
      else if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  }

  /** CONNECT host:port: https and WebSockets. */
  #tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const authority = req.url ?? '';
    let target: URL;
    try {
      target = new URL(`https://${authority}/`);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const verdict = this.#guard.checkUrl(target);
    if (!verdict.allowed) {
      this.#note(authority, new BlockedAddressError(authority, target.hostname, verdict.reason, verdict.metadata ?? false));
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(target.port || 443),
      lookup: this.#lookup as net.LookupFunction,
    });
    this.#track(upstream);
    upstream.once('connect', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', (err) => {
      if (err instanceof BlockedAddressError) this.#note(authority, err);
      if (socket.writable) socket.end(`HTTP/1.1 ${err instanceof BlockedAddressError ? '403 Forbidden' : '502 Bad Gateway'}\r\n\r\n`);
      else socket.destroy();
    });
    socket.once('close', () => upstream.destroy());
  }

  #refuse(res: ServerResponse, url: string, err: BlockedAddressError): void {
    this.#note(url, err);
    if (res.headersSent) res.destroy();
    else res.writeHead(403, { 'content-type': 'text/plain' }).end('refused by the network guard');
  }

  #note(url: string, err: BlockedAddressError): void {
    this.noteRefusal({ url, address: err.address, reason: err.reason, metadata: err.metadata });
  }
}
