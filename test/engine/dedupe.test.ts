import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';

// Two pages that overlap by one item, as a listing does when an item moves up while it is read.
let site: RunningSite;
beforeAll(async () => {
  site = await startSite((req, res) => {
    const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '1';
    const body =
      page === '1' ? { items: [{ id: 1 }, { id: 2 }, { id: 3 }], next: '/?page=2' } : { items: [{ id: 3 }, { id: 4 }], next: null };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
afterAll(() => site.close());

describe('records.dedupeKey', () => {
  it('drops a record whose key the run already wrote', async () => {
    const c = jsonCollector(`${site.url}/?page=1`, { paginate: { type: 'next-link', path: 'next' }, records: { dedupeKey: ['id'] } });
    const { sink, manifest } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(manifest.records).toBe(4);
  });

  it('keeps every record without a key', async () => {
    const c = jsonCollector(`${site.url}/?page=1`, { paginate: { type: 'next-link', path: 'next' } });
    const { sink } = await runInMemory(c);
    expect(sink.records().map((r) => r.id)).toEqual([1, 2, 3, 3, 4]);
  });
});
