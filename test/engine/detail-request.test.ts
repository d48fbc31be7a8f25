import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

// An API whose every endpoint wants its key as a query parameter, detail pages included.
let site: RunningSite;
const seen: string[] = [];
beforeAll(async () => {
  site = await startSite((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${url.pathname}${url.search} ${req.headers['x-client'] ?? ''}`);
    if (url.searchParams.get('key') !== 'k-123') return void res.writeHead(401).end();
    const body =
      url.pathname === '/list'
        ? {
            items: [
              { id: 1, href: '/item/1' },
              { id: 2, href: '/item/2?lang=en' },
            ],
          }
        : { detail: url.pathname };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
afterAll(() => site.close());

describe('detail pages', () => {
  it("carry the collector's headers and query parameters, secrets resolved", async () => {
    const c = jsonCollector(`${site.url}/list`, {
      request: { headers: { 'X-Client': 'collect-test' }, query: { key: '${env:API_KEY}' } },
      extract: { items: 'items', fields: { id: 'id', href: { path: 'href', type: 'url' } } },
      follow: { field: 'href', extract: { fields: { detail: 'detail' } } },
    });
    const { sink, manifest } = await runInMemory(c, { env: { API_KEY: 'k-123' } });
    expect(manifest.failures).toBe(0);
    expect(sink.records()).toEqual([
      { id: 1, href: `${site.url}/item/1`, detail: '/item/1' },
      { id: 2, href: `${site.url}/item/2?lang=en`, detail: '/item/2' },
    ]);
    expect(seen).toContain('/item/2?lang=en&key=k-123 collect-test');
  });
});
