import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

let api: RunningSite;
beforeAll(async () => (api = await startJsonApi({ total: 25, pageSize: 10 })));
afterAll(() => api.close());
const all = Array.from({ length: 25 }, (_, i) => 25 - i);

describe('cursor pagination', () => {
  it('takes the token from the body and sends it as a query parameter', async () => {
    const c = jsonCollector(`${api.url}/cursor`, { paginate: { type: 'cursor', tokenPath: 'meta.next', param: 'cursor' } });
    const { manifest, sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual(all);
    expect(manifest.pages).toBe(3);
  });

  it('takes the token from a response header and sends it as a header', async () => {
    const c = jsonCollector(`${api.url}/cursor-header`, {
      paginate: { type: 'cursor', tokenHeader: 'X-Next', param: 'X-Cursor', in: 'header' },
    });
    const { sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual(all);
  });

  it('sends the token in a JSON body, next to the templated body fields', async () => {
    const c = jsonCollector(`${api.url}/cursor-body`, {
      variables: { term: 'books' },
      request: { method: 'POST', body: { json: { q: '{{ term }}' } } },
      extract: { items: 'items', fields: { id: 'id', query: { path: '$.query' } } },
      paginate: { type: 'cursor', tokenPath: 'next', param: 'after', in: 'body' },
    });
    const { sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual(all);
  });
});
