import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

let api: RunningSite;
beforeAll(async () => (api = await startJsonApi({ total: 23, pageSize: 10 })));
afterAll(() => api.close());

describe('offset pagination', () => {
  it('pages by offset and limit and stops at the total from the response', async () => {
    const c = jsonCollector(`${api.url}/offset`, { paginate: { type: 'offset', limit: 5, stop: { totalPath: 'total' } } });
    const { manifest, sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));
    expect(manifest.pages).toBe(5); // 5+5+5+5+3: the total is reached, no empty page is fetched
    expect(api.hits.get('/offset?limit=5&offset=20')).toBe(1);
    expect(api.hits.has('/offset?limit=5&offset=25')).toBe(false);
  });

  it('uses the configured parameter names', async () => {
    const c = jsonCollector(`${api.url}/offset`, {
      paginate: { type: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 10, start: 10 },
    });
    const { sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual(Array.from({ length: 13 }, (_, i) => 13 - i));
  });
});
