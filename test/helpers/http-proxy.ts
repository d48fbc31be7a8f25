// A tiny HTTP proxy on 127.0.0.1 for tests: absolute-form requests are
// forwarded (plain http), CONNECT opens a tunnel, and everything it is asked is
// recorded. `hosts` maps names to addresses the way the proxy's own resolver
// would, so a test can send a public-looking name through it to a local site.
import http from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';

interface ProxiedRequest {
  method: string;
  /** The request target as the proxy saw it: an absolute URL, or host:port for CONNECT. */
  target: string;
  proxyAuthorization: string | undefined;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startTestProxy(options: { hosts?: Record<string, string>; requireAuth?: string } = {}): Promise<TestProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const hostFor = (name: string) => options.hosts?.[name] ?? name;
  const refused = (auth: string | undefined) => options.requireAuth !== undefined && auth !== options.requireAuth;

  const server = http.createServer((req, res) => {
    const auth = req.headers['proxy-authorization'];
    requests.push({ method: req.method ?? 'GET', target: req.url ?? '', proxyAuthorization: auth });
    if (refused(auth)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': 0 });
      res.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form requests only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: hostFor(target.hostname), port: target.port || 80, method: req.method, path: target.pathname + target.search, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket) => {
    const auth = req.headers['proxy-authorization'];
    requests.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization: auth });
    if (refused(auth)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), hostFor(host ?? ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
