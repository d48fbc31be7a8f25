// stop.hasMore and stop.done: the site says whether another page follows, and
// once it says no, no further request is made, whatever token or link the page
// still hands out. Counted on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagSaysYes } from '../../runtime/core/paginate/stop.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { explainCollector } from '../../runtime/tools/review/explain.ts';
import { formatExplanation } from '../../runtime/tools/review/explain-format.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';
import { startPagingSite, type PagingSite } from './paging-site.ts';

let site: PagingSite;
beforeAll(async () => (site = await startPagingSite()));
afterAll(() => site.close());

const ALL = Array.from({ length: 25 }, (_, i) => 25 - i);

/** Runs the collector and returns its record ids and the requests the server saw on `path`. */
async function run(path: string, paginate: Collector['paginate'], query = '') {
  const before = site.requestsTo(path).length;
  const { sink, manifest } = await runInMemory(jsonCollector(`${site.url}${path}${query}`, { paginate }));
  return { ids: sink.records().map((r) => r.id), requests: site.requestsTo(path).slice(before), manifest };
}

describe('stop.hasMore', () => {
  it('cursor: no request after the page whose has_next is false, though it hands out a next token', async () => {
    const { ids, requests, manifest } = await run('/cursor', {
      type: 'cursor',
      tokenPath: 'next',
      param: 'cursor',
      stop: { hasMore: 'has_next' },
    });
    expect(ids).toEqual(ALL);
    expect(requests.map((r) => r.query.get('cursor'))).toEqual([null, '10', '20']);
    expect(manifest.pages).toBe(3);
  });

  it('cursor without the rule asks for one page more (the control)', async () => {
    const { requests } = await run('/cursor', { type: 'cursor', tokenPath: 'next', param: 'cursor' });
    expect(requests.map((r) => r.query.get('cursor'))).toEqual([null, '10', '20', '30']);
  });

  for (const as of ['number', 'string', 'missing'] as const) {
    it(`reads a flag given as a ${as === 'missing' ? 'value left out on the last page' : as}`, async () => {
      const { ids, requests } = await run(
        '/cursor-flag',
        { type: 'cursor', tokenPath: 'next', param: 'cursor', stop: { hasMore: 'has_next' } },
        `?as=${as}`,
      );
      expect(ids).toEqual(ALL);
      expect(requests.map((r) => [r.query.get('as'), r.query.get('cursor')])).toEqual([
        [as, null],
        [as, '10'],
        [as, '20'],
      ]);
    });
  }

  it('page-number: stops at meta.has_next false', async () => {
    const { ids, requests } = await run('/pages', { type: 'page-number', param: 'page', stop: { hasMore: 'meta.has_next' } });
    expect(ids).toEqual(ALL);
    expect(requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
  });

  it('page-number without the rule asks for the empty fourth page (the control)', async () => {
    const { requests } = await run('/pages', { type: 'page-number', param: 'page' });
    expect(requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3', '4']);
  });

  it('offset: stops at has_more false', async () => {
    const { ids, requests } = await run('/offset', { type: 'offset', limit: 10, stop: { hasMore: 'has_more' } });
    expect(ids).toEqual(ALL);
    expect(requests.map((r) => r.query.get('offset'))).toEqual(['0', '10', '20']);
  });

  it('next-link (JSON): stops at has_next false, though the page links a next one', async () => {
    const { ids, requests } = await run('/link', { type: 'next-link', path: 'links.next', stop: { hasMore: 'has_next' } });
    expect(ids).toEqual(ALL);
    expect(requests.map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
  });

  it('a flag the page does not have ends the chain after the first page', async () => {
    const { ids, requests } = await run('/pages', { type: 'page-number', param: 'page', stop: { hasMore: 'meta.no_such_flag' } });
    expect(ids).toEqual(ALL.slice(0, 10));
    expect(requests).toHaveLength(1);
  });

  it('on page-number with totalPagesPath, a first page that says no more fans nothing out', async () => {
    const saved = site.items;
    site.items = saved.slice(0, 10);
    try {
      // A total of 5 pages that the flag contradicts: the flag wins, and pages 2 to 5 are not fanned out.
      const { requests } = await run('/pages', {
        type: 'page-number',
        param: 'page',
        totalPagesPath: '`5`',
        stop: { hasMore: 'meta.has_next' },
      });
      expect(requests).toHaveLength(1);
    } finally {
      site.items = saved;
    }
  });
});

describe('stop.done', () => {
  it('page-number: stops after the page whose meta.last_page is true', async () => {
    const { ids, requests } = await run('/done', { type: 'page-number', param: 'page', stop: { done: 'meta.last_page' } });
    expect(ids).toEqual(ALL);
    expect(requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
  });

  it('a done flag that is missing does not stop the chain', async () => {
    const { requests } = await run('/done', { type: 'page-number', param: 'page', stop: { done: 'meta.no_such_flag' } });
    expect(requests).toHaveLength(4); // the empty fourth page ends it (stop.emptyPage)
  });
});

describe('what counts as yes', () => {
  it('true, a number above 0 and the string "true"; nothing else', () => {
    for (const yes of [true, 1, 3, 'true', 'TRUE', ' true ']) expect(flagSaysYes(yes), JSON.stringify(yes)).toBe(true);
    for (const no of [false, 0, -1, null, undefined, '', 'false', 'yes', '1', [], [1], {}])
      expect(flagSaysYes(no), JSON.stringify(no)).toBe(false);
  });
});

describe('collect explain', () => {
  it('names the stop rules', () => {
    const c = resolveCollector(
      jsonCollector('https://api.example.com/items', {
        paginate: { type: 'cursor', tokenPath: 'next', param: 'cursor', stop: { hasMore: 'meta.has_next', done: 'meta.last' } },
      }),
    );
    const e = explainCollector({
      collector: c,
      seeds: ['https://api.example.com/items'],
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
    expect(e.pagination.stops).toContain('`meta.has_next` is not true: false, 0, null or missing (stop.hasMore)');
    expect(e.pagination.stops).toContain('`meta.last` is true (stop.done)');
    expect(formatExplanation(e)).toContain('(stop.hasMore)');
  });
});
