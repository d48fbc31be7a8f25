// records.incremental.param: the mark of the earlier runs goes to the site, so
// it returns only newer items. First run: without the parameter, or with
// `initial`; the next run sends the stored mark (the local FileStateStore under
// --out) and gets only what is new. The mark is site data, sent as a value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMarkParam, formatMark, markPlaced } from '../../runtime/core/engine/incremental-param.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { explainCollector } from '../../runtime/tools/review/explain.ts';
import { formatExplanation } from '../../runtime/tools/review/explain-format.ts';
import { jsonCollector, runInMemory, tempDir } from '../helpers/collector.ts';
import { initialItems, startPagingSite, type PagingSite } from './paging-site.ts';

let site: PagingSite;
beforeAll(async () => (site = await startPagingSite()));
afterAll(() => site.close());

type Incremental = NonNullable<NonNullable<Collector['records']>['incremental']>;

function since(path: string, incremental: Incremental, over: Partial<Collector> = {}): Collector {
  return jsonCollector(`${site.url}${path}`, {
    extract: {
      items: 'items',
      fields: { id: { path: 'id', type: 'integer', required: true }, updated: { path: 'updated', type: 'date' } },
    },
    paginate: { type: 'page-number', param: 'page', stop: { hasMore: 'has_next' } },
    records: { incremental },
    ...over,
  });
}

/** Two items newer than any of the first run. */
function addNewer(): void {
  site.items = [{ id: 27, updated: '2024-02-02T00:00:00.000Z' }, { id: 26, updated: '2024-02-01T00:00:00.000Z' }, ...initialItems()];
}

describe('the mark as a query parameter', () => {
  it('first run without it, the next run with the stored mark, and only newer items come back', async () => {
    site.items = initialItems();
    const outDir = tempDir();
    const c = since('/since', { cursorField: 'updated', param: { name: 'updated_since' } });
    const before = site.requestsTo('/since').length;
    const first = await runInMemory(c, { outDir });
    expect(first.sink.records()).toHaveLength(25);
    const firstRequests = site.requestsTo('/since').slice(before);
    expect(firstRequests).toHaveLength(3);
    for (const r of firstRequests) expect(r.query.has('updated_since')).toBe(false);

    addNewer();
    const second = await runInMemory(c, { outDir });
    const secondRequests = site.requestsTo('/since').slice(before + 3);
    // One page: the site returned only the two newer items, and says no more follow.
    expect(secondRequests.map((r) => r.query.get('updated_since'))).toEqual(['2024-01-25T00:00:00.000Z']);
    expect(second.sink.records().map((r) => r.id)).toEqual([27, 26]);

    // The third run sends the mark the second raised.
    await runInMemory(c, { outDir });
    expect(site.requestsTo('/since').at(-1)!.query.get('updated_since')).toBe('2024-02-02T00:00:00.000Z');
  });

  it('with initial, the first run sends it as written', async () => {
    site.items = initialItems();
    const c = since('/since', { cursorField: 'updated', param: { name: 'updated_since', initial: '2024-01-20T00:00:00.000Z' } });
    const before = site.requestsTo('/since').length;
    const { sink } = await runInMemory(c);
    expect(
      site
        .requestsTo('/since')
        .slice(before)
        .map((r) => r.query.get('updated_since')),
    ).toEqual(['2024-01-20T00:00:00.000Z']);
    expect(sink.records().map((r) => r.id)).toEqual([25, 24, 23, 22, 21]);
  });

  it('as a header, formatted as a date', async () => {
    site.items = initialItems();
    const outDir = tempDir();
    const c = since('/since', { cursorField: 'updated', param: { name: 'X-Since', in: 'header', format: 'yyyy-MM-dd' } });
    await runInMemory(c, { outDir });
    addNewer();
    const before = site.requestsTo('/since').length;
    const second = await runInMemory(c, { outDir });
    expect(
      site
        .requestsTo('/since')
        .slice(before)
        .map((r) => r.headers['x-since']),
    ).toEqual(['2024-01-25']);
    // The site compares dates with times: item 25 comes back again, and the run drops it as old.
    expect(second.sink.records().map((r) => r.id)).toEqual([27, 26]);
    expect(second.manifest.dropped.old).toBe(1);
  });

  it('in unix seconds', async () => {
    site.items = initialItems();
    const outDir = tempDir();
    const c = since('/since-unix', { cursorField: 'updated', param: { name: 'after', format: 'unix' } }, { paginate: undefined });
    await runInMemory(c, { outDir });
    addNewer();
    const before = site.requestsTo('/since-unix').length;
    const second = await runInMemory(c, { outDir });
    expect(
      site
        .requestsTo('/since-unix')
        .slice(before)
        .map((r) => r.query.get('after')),
    ).toEqual([String(Date.parse('2024-01-25T00:00:00Z') / 1000)]);
    expect(second.sink.records().map((r) => r.id)).toEqual([27, 26]);
  });
});

describe('the mark inside a JSON body', () => {
  it('goes at variables.since beside the cursor at variables.after, and the first run keeps the null', async () => {
    site.items = initialItems();
    const outDir = tempDir();
    const c = jsonCollector(`${site.url}/graphql`, {
      request: { method: 'POST', body: { json: { query: '{ items }', variables: { after: null, first: 10, since: null } } } },
      extract: {
        items: 'data.items.nodes',
        fields: { id: { path: 'id', type: 'integer', required: true }, updated: { path: 'updated', type: 'date' } },
      },
      paginate: {
        type: 'cursor',
        tokenPath: 'data.items.pageInfo.endCursor',
        in: 'body',
        path: 'variables.after',
        stop: { hasMore: 'data.items.pageInfo.hasNextPage' },
      },
      records: { incremental: { cursorField: 'updated', param: { in: 'body', path: 'variables.since' } } },
    });
    const before = site.requestsTo('/graphql').length;
    await runInMemory(c, { outDir });
    const variables = () =>
      site
        .requestsTo('/graphql')
        .slice(before)
        .map((r) => (JSON.parse(r.body) as { variables: Record<string, unknown> }).variables);
    expect(variables().map((v) => v.since)).toEqual([null, null, null]);
    addNewer();
    const second = await runInMemory(c, { outDir });
    expect(variables().slice(3)).toEqual([{ after: null, first: 10, since: '2024-01-25T00:00:00.000Z' }]);
    expect(second.sink.records().map((r) => r.id)).toEqual([27, 26]);
  });
});

describe('site data is data', () => {
  it('a mark that reads like a secret reference or a template is sent as it is', async () => {
    const hostile = '${env:AWS_SECRET_ACCESS_KEY}{{ name }}';
    const c = resolveCollector(since('/since', { cursorField: 'updated', param: { name: 'updated_since' } }));
    const placed = markPlaced(c.records.incremental!.param!, hostile);
    expect(placed).toEqual({ in: 'query', name: 'updated_since', value: hostile });
  });
});

describe('formats', () => {
  it('iso sends the mark as stored; a number as written goes as a number', () => {
    expect(formatMark('2024-01-25T00:00:00.000Z', 'iso')).toBe('2024-01-25T00:00:00.000Z');
    expect(formatMark('95', 'iso')).toBe(95);
    expect(formatMark('007', 'iso')).toBe('007');
  });

  it('unix, unix-ms and a Luxon pattern, in UTC', () => {
    expect(formatMark('2024-01-25T10:30:00.000Z', 'unix')).toBe(1706178600);
    expect(formatMark('2024-01-25T10:30:00.000Z', 'unix-ms')).toBe(1706178600000);
    expect(formatMark('2024-01-25T23:30:00.000Z', 'yyyy-MM-dd HH:mm')).toBe('2024-01-25 23:30');
  });

  it('a date format on a mark that is not a date says what to do', () => {
    expect(() => formatMark('95', 'unix')).toThrow(/not an ISO date; use format: iso/);
  });
});

describe('collect explain', () => {
  it('says where the mark goes and what the first run sends', () => {
    const c = resolveCollector(
      since('/since', { cursorField: 'updated', param: { name: 'updated_since', initial: '2024-01-01T00:00:00Z' } }),
    );
    const line =
      "the last run's high-water mark of `updated` goes in the query parameter `updated_since` of every listing request, " +
      'written as stored (iso); a run with no mark yet sends "2024-01-01T00:00:00Z" (initial)';
    expect(describeMarkParam(c.records.incremental)).toBe(line);
    const e = explainCollector({
      collector: c,
      seeds: [c.start.urls![0]!],
      settings: {
        functionName: 'f',
        stalledAfterMinutes: 120,
        memoryMb: 1024,
        timeoutSeconds: 300,
        architecture: 'arm64',
        maxReceiveCount: 5,
        source: 'test',
      },
      volume: { pages: { value: 10, source: 'test' }, tasks: { value: 1, source: 'test' }, seeds: 1 },
    });
    expect(e.pagination.how).toBe(`counts pages from 1 in the query parameter \`page\`; ${line}`);
    expect(formatExplanation(e)).toContain(line);
  });
});
