// Site data is data: a token, a link or a value a site sends is never read as a
// template or a secret reference, and a secret the site echoes back never leaves
// its request (records, follow-up tasks, the run's files), while the author's
// own secret still goes where the author put it, on every page.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { secretForms } from '../../runtime/core/secrets.ts';
import { jsonCollector, runInMemory, tempDir } from '../helpers/collector.ts';

const SECRET = 'sk_live/Zm9v+YmFy=cXV4 T0k3n';
const OTHER = 'aws-secret-0123456789abcdef';
const ENV = { API_KEY: SECRET, AWS_SECRET_ACCESS_KEY: OTHER };

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let site: RunningSite;
const seen: Seen[] = [];
/** What the site answers on each path; a function sees the request. */
const routes = new Map<string, (url: URL, body: string, headers: IncomingMessage['headers']) => unknown>();

beforeAll(async () => {
  site = await startSite((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ url: `${url.pathname}${url.search}`, headers: req.headers, body });
      const route = routes.get(url.pathname);
      if (!route) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route(url, body, req.headers)));
    });
  });
});
afterAll(() => site.close());

function requestsTo(path: string): Seen[] {
  return seen.filter((s) => s.url.startsWith(path));
}

/** Every file a run left under its output folder, gzip opened. */
function everyFile(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) text += everyFile(path);
    else {
      const bytes = readFileSync(path);
      text += `${path}\n${name.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString()}\n`;
    }
  }
  return text;
}

const leaks = (text: string, secret = SECRET) => secretForms(secret).filter((f) => text.includes(f));

describe('a token or link from a site is never resolved as a secret or rendered as a template', () => {
  for (const place of ['body', 'query', 'header'] as const) {
    it(`a cursor in the ${place} that reads \${env:AWS_SECRET_ACCESS_KEY} is sent as it is`, async () => {
      const path = `/cursor-${place}`;
      routes.set(path, (url, body, headers) =>
        body.includes('"after"') || url.searchParams.has('after') || headers.after !== undefined
          ? { items: [{ id: 2 }] }
          : { items: [{ id: 1 }], next: '${env:AWS_SECRET_ACCESS_KEY}{{ name }}' },
      );
      const c = jsonCollector(`${site.url}${path}`, {
        request: { method: 'POST', body: { json: { q: 'books' } } },
        paginate: { type: 'cursor', tokenPath: 'next', param: 'after', in: place },
      });
      const { sink } = await runInMemory(c, { env: ENV });
      const [, second] = requestsTo(path);
      expect(second, 'the second page was asked for').toBeDefined();
      const sent =
        place === 'body'
          ? (JSON.parse(second!.body) as { after: string }).after
          : place === 'query'
            ? new URL(second!.url, 'http://x').searchParams.get('after')
            : second!.headers.after;
      expect(sent).toBe('${env:AWS_SECRET_ACCESS_KEY}{{ name }}');
      expect(JSON.stringify(second)).not.toContain(OTHER);
      if (place === 'body') expect(JSON.parse(second!.body)).toEqual({ q: 'books', after: '${env:AWS_SECRET_ACCESS_KEY}{{ name }}' });
      expect(sink.records().map((r) => r.id)).toEqual([1, 2]);
    });
  }

  it('a next link holding a reference and a placeholder is fetched as written', async () => {
    routes.set('/linked', (url) =>
      url.searchParams.has('p')
        ? { items: [{ id: 2 }] }
        : { items: [{ id: 1 }], next: '/linked?p=${env:AWS_SECRET_ACCESS_KEY}&n={{ name }}' },
    );
    const c = jsonCollector(`${site.url}/linked`, { paginate: { type: 'next-link', path: 'next' } });
    await runInMemory(c, { env: ENV });
    const [, second] = requestsTo('/linked');
    expect(new URL(second!.url, 'http://x').searchParams.get('p')).toBe('${env:AWS_SECRET_ACCESS_KEY}');
    expect(new URL(second!.url, 'http://x').searchParams.get('n')).toBe('{{ name }}');
    expect(JSON.stringify(second)).not.toContain(OTHER);
  });

  it("a variable's value (from --var) is inserted as text, never resolved", async () => {
    routes.set('/by-var', () => ({ items: [{ id: 1 }] }));
    const c = jsonCollector(`${site.url}/by-var`, {
      variables: { q: 'x' },
      request: { headers: { 'X-Query': 'q={{ q }}' }, query: { q: '{{ q }}' } },
    });
    await runInMemory(c, { env: ENV, vars: { q: '${env:AWS_SECRET_ACCESS_KEY}' } });
    const [first] = requestsTo('/by-var');
    expect(first!.headers['x-query']).toBe('q=${env:AWS_SECRET_ACCESS_KEY}');
    expect(JSON.stringify(first)).not.toContain(OTHER);
  });
});

describe('a secret the site echoes back never leaves its request', () => {
  it('is taken out of records, follow-up tasks and every file of the run, while each request still carries it', async () => {
    routes.set('/echo', (url) => {
      const page = Number(url.searchParams.get('page') ?? '1');
      const key = url.searchParams.get('api_key');
      return {
        items: [{ id: page, echo: `your key is ${key}`, self: `${site.url}/echo?api_key=${encodeURIComponent(key ?? '')}&page=${page}` }],
        ...(page < 3 ? { next: `/echo?page=${page + 1}&api_key=${encodeURIComponent(key ?? '')}` } : {}),
      };
    });
    const out = tempDir();
    const c = jsonCollector(`${site.url}/echo`, {
      request: { query: { api_key: '${env:API_KEY}' } },
      extract: {
        items: 'items',
        fields: {
          id: { path: 'id', type: 'integer', required: true },
          echo: 'echo',
          self: { path: 'self', type: 'url' },
          page_url: { context: 'url' },
        },
      },
      // One page a task: the chain travels as follow-up tasks through the checkpoint.
      paginate: { type: 'next-link', path: 'next' },
      scaling: { pagesPerTask: 1 },
    });
    const { sink } = await runInMemory(c, { env: ENV, outDir: out });
    const requests = requestsTo('/echo');
    expect(requests).toHaveLength(3);
    for (const r of requests) expect(new URL(r.url, 'http://x').searchParams.getAll('api_key')).toEqual([SECRET]);
    const records = sink.records();
    expect(records.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(records[0]!.echo).toBe('your key is [REDACTED]');
    expect(records[1]!.page_url).toBe(`${site.url}/echo?page=2`);
    expect(records[1]!.self).toBe(`${site.url}/echo?page=2`);
    expect(leaks(JSON.stringify(records))).toEqual([]);
    expect(leaks(everyFile(out))).toEqual([]);
  });

  it('a chain whose token holds the secret stops where it would be stored, with an error that says why', async () => {
    routes.set('/token-echo', (url) =>
      url.searchParams.has('after') ? { items: [{ id: 2 }] } : { items: [{ id: 1 }], next: `t-${url.searchParams.get('api_key')}` },
    );
    const out = tempDir();
    const c = jsonCollector(`${site.url}/token-echo`, {
      request: { query: { api_key: '${env:API_KEY}' } },
      paginate: { type: 'cursor', tokenPath: 'next', param: 'after' },
      scaling: { pagesPerTask: 1 },
    });
    const { sink, manifest } = await runInMemory(c, { env: ENV, outDir: out });
    expect(sink.records().map((r) => r.id)).toEqual([1]);
    expect(manifest.failures).toBe(1);
    const files = everyFile(out);
    expect(files).toContain('SecretInTokenError');
    expect(leaks(files)).toEqual([]);
  });
});
