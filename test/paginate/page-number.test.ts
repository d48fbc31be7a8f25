import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

let api: RunningSite;
beforeAll(async () => (api = await startJsonApi({ total: 25, pageSize: 10 })));
afterAll(() => api.close());

const ids = (records: { id?: unknown }[]) => records.map((r) => r.id).sort((a, b) => Number(b) - Number(a));

describe('page-number pagination', () => {
  it('counts pages in a query parameter until a page is empty', async () => {
    const c = jsonCollector(`${api.url}/pages`, { paginate: { type: 'page-number', param: 'page' } });
    const { manifest, sink } = await runInMemory(c);
    expect(ids(sink.records())).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(manifest.pages).toBe(4); // 3 full pages and the empty one that stops the chain
    expect(api.hits.get('/pages?page=4')).toBeGreaterThanOrEqual(1);
  });

  it('fans the remaining pages out as separate tasks when the total is known up front', async () => {
    const c = jsonCollector(`${api.url}/pages`, { paginate: { type: 'page-number', totalPagesPath: 'total_pages' } });
    const { manifest, sink } = await runInMemory(c);
    expect(ids(sink.records())).toHaveLength(25);
    expect(manifest.tasks).toBe(3);
    expect(manifest.pages).toBe(3);
  });

  it('puts the page number into the URL path', async () => {
    const c = jsonCollector(`${api.url}/p/{{ page }}/items`, { paginate: { type: 'page-number', in: 'path' } });
    const { sink } = await runInMemory(c);
    expect(ids(sink.records())).toHaveLength(25);
  });

  it('stops at maxPages', async () => {
    const c = jsonCollector(`${api.url}/pages`, { paginate: { type: 'page-number', stop: { maxPages: 2 } } });
    const { manifest, sink } = await runInMemory(c);
    expect(sink.records()).toHaveLength(20);
    expect(manifest.pages).toBe(2);
  });

  it('stops a chain that keeps returning the same page, with a warning', async () => {
    const c = jsonCollector(`${api.url}/pages-forever`, { paginate: { type: 'page-number' } });
    const { manifest, sink } = await runInMemory(c);
    expect(ids(sink.records())).toHaveLength(25);
    expect(manifest.warnings.join('\n')).toMatch(/identical to a recent one/);
  });
});
