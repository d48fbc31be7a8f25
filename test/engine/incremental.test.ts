import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { IncrementalState } from '../../runtime/core/engine/incremental.ts';
import { MemoryStateStore } from '../../runtime/adapters/memory-state.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { jsonCollector, runInMemory, tempDir } from '../helpers/collector.ts';

let api: RunningSite;
beforeAll(async () => (api = await startJsonApi({ total: 25, pageSize: 10 })));
afterAll(() => api.close());

describe('incremental collection', () => {
  it('collects only records newer than the last run and stops the chain at the first seen one', async () => {
    const outDir = tempDir();
    const c = jsonCollector(`${api.url}/pages`, { paginate: { type: 'page-number' }, records: { incremental: { cursorField: 'id' } } });
    const first = await runInMemory(c, { outDir });
    expect(first.sink.records()).toHaveLength(25);
    const second = await runInMemory(c, { outDir });
    expect(second.sink.records()).toHaveLength(0);
    expect(second.manifest.pages).toBe(1); // the first page already holds seen records: no further pages
  });

  it('keeps one baseline per run while concurrent tasks raise the mark', async () => {
    const store = new MemoryStateStore();
    const runA = new IncrementalState(store, 'c', 'A');
    await runA.raise('10');
    await runA.raise('7');
    expect(await runA.baseline()).toBeNull();
    const runB = new IncrementalState(store, 'c', 'B');
    expect(await runB.baseline()).toBe('10');
    await runB.raise('12');
    expect(await runB.baseline()).toBe('10');
    expect(await new IncrementalState(store, 'c', 'C').baseline()).toBe('12');
  });
});
