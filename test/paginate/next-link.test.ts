import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

let api: RunningSite;
beforeAll(async () => (api = await startJsonApi({ total: 25, pageSize: 10 })));
afterAll(() => api.close());

describe('next-link pagination', () => {
  it('follows the rel="next" entry of the Link header', async () => {
    const c = jsonCollector(`${api.url}/link`, {
      extract: { items: '[]', fields: { id: 'id' } },
      paginate: { type: 'next-link', linkHeader: true },
    });
    const { manifest, sink } = await runInMemory(c);
    expect(sink.records()).toHaveLength(25);
    expect(manifest.pages).toBe(3);
  });

  it('follows a relative URL found by JMESPath', async () => {
    const c = jsonCollector(`${api.url}/next-path`, { paginate: { type: 'next-link', path: 'links.next' } });
    const { sink } = await runInMemory(c);
    expect(sink.records()).toHaveLength(25);
  });

  it('stops a link that leads back to a page already seen, with a warning', async () => {
    const c = jsonCollector(`${api.url}/loop?page=1`, { paginate: { type: 'next-link', path: 'links.next' } });
    const { manifest, sink } = await runInMemory(c);
    expect(sink.records()).toHaveLength(10);
    expect(manifest.pages).toBe(1);
    expect(manifest.warnings.join('\n')).toMatch(/returned to .*\/loop\?page=1/);
  });
});
