// The cookie jar of a fetch stack, over the real HTTP fetcher: a cookie set on
// a redirect is sent on the next hop and on later requests to its host (not to
// another host), the author's own Cookie header goes along, `cookies: false`
// keeps nothing, and a cookie's value is a secret from the moment it arrives.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { collectorFetcher } from '../../runtime/core/engine/fetch-stack.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../runtime/core/fetch/types.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const SESSION_ID = 'a1b2c3d4e5f6a7b8c9d0';
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/start') {
      res.writeHead(302, { location: '/landing', 'set-cookie': [`sid=${SESSION_ID}; Path=/; HttpOnly`, 'lang=en; Path=/'] });
      return void res.end();
    }
    // Every other page says which cookies it got.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function stack(session: Collector['session'] = undefined): { fetcher: Fetcher; secrets: SecretResolver; base: HttpFetcher } {
  const collector: Collector = {
    name: 'cookies',
    start: { urls: [`http://127.0.0.1:${port}/start`] },
    extract: { fields: { cookie: 'cookie' } },
    output: 's3://bucket/{{ name }}',
    request: { robots: 'ignore' } as Collector['request'],
    ...(session ? { session } : {}),
  };
  const compiled = compileCollector(resolveCollector(collector), { allowPrivateNetwork: true });
  const secrets = new SecretResolver({});
  const base = new HttpFetcher();
  return { fetcher: collectorFetcher(base, { compiled, secrets }), secrets, base };
}

async function cookieSent(fetcher: Fetcher, url: string, headers: Record<string, string> = {}): Promise<string | null> {
  const compiled = compileCollector(resolveCollector({ name: 'p', start: { urls: [url] }, extract: { fields: {} }, output: 's3://b/p' }), {
    allowPrivateNetwork: true,
  });
  const response = await fetcher.fetch({ url, method: 'GET', headers }, compiled.policy);
  return (JSON.parse(response.text) as { cookie: string | null }).cookie;
}

describe('the cookie jar', () => {
  it('keeps the cookies a redirect sets, sends them on the next hop and later to the same host only', async () => {
    const { fetcher, base } = stack();
    try {
      // /start answers 302 with Set-Cookie; /landing already gets the cookies.
      expect(await cookieSent(fetcher, `http://127.0.0.1:${port}/start`)).toBe(`sid=${SESSION_ID}; lang=en`);
      expect(await cookieSent(fetcher, `http://127.0.0.1:${port}/other`)).toBe(`sid=${SESSION_ID}; lang=en`);
      // Same server, another host name: not the host that set them.
      expect(await cookieSent(fetcher, `http://localhost:${port}/other`)).toBeNull();
      // The author's own Cookie header goes first, the jar's after it.
      expect(await cookieSent(fetcher, `http://127.0.0.1:${port}/other`, { cookie: 'consent=yes' })).toBe(
        `consent=yes; sid=${SESSION_ID}; lang=en`,
      );
    } finally {
      await fetcher.close();
      await base.close();
    }
  });

  it('keeps nothing with session.cookies: false', async () => {
    const { fetcher, base } = stack({ cookies: false });
    try {
      expect(await cookieSent(fetcher, `http://127.0.0.1:${port}/start`)).toBeNull();
      expect(await cookieSent(fetcher, `http://127.0.0.1:${port}/other`)).toBeNull();
    } finally {
      await fetcher.close();
      await base.close();
    }
  });

  it('makes a session id a secret as it arrives, and leaves short values like lang=en alone', async () => {
    const { fetcher, secrets, base } = stack();
    try {
      await cookieSent(fetcher, `http://127.0.0.1:${port}/start`);
      expect(secrets.redact(`id ${SESSION_ID} in English (en)`)).toBe('id [REDACTED] in English (en)');
    } finally {
      await fetcher.close();
      await base.close();
    }
  });
});
