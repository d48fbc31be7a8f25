import { describe, expect, it } from 'vitest';
import { explainCommand } from '../../runtime/tools/cli/commands/explain.ts';
import { explainCollector, type Explanation } from '../../runtime/tools/review/explain.ts';
import { formatExplanation } from '../../runtime/tools/review/explain-format.ts';
import type { FunctionSettings } from '../../runtime/tools/review/project-settings.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { captureIO, ROOT } from './support.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const settings: FunctionSettings = {
  functionName: 'acme-collect',
  stalledAfterMinutes: 120,
  memoryMb: 1024,
  timeoutSeconds: 300,
  architecture: 'arm64',
  maxReceiveCount: 5,
  bucket: 'project-bucket',
  source: 'test',
};
const volume = { pages: { value: 100, source: 'test' }, tasks: { value: 2, source: 'test' }, seeds: 1 };

function spec(over: Partial<Collector> = {}): Collector {
  return {
    name: 'shop',
    variables: { base_url: 'https://shop.example.com', cat: { values: ['a', 'b', 'c', 'd'] } },
    start: { urls: ['{{ base_url }}/{{ cat }}?page=1'] },
    request: { rateLimit: { perSecond: 5, concurrency: 3 } },
    extract: { items: 'li.item', fields: { title: 'h2', url: { selector: 'a', attr: 'href', type: 'url' } } },
    follow: { field: 'url', extract: { fields: { price: '.price', sku: '.sku' } } },
    paginate: { type: 'next-link', selector: 'a.next', stop: { maxPages: 100 } },
    output: 's3://data/raw/{{ name }}',
    schedule: { expression: 'rate(15 minutes)' },
    scaling: { batchSize: 4, maxConcurrency: 4, batchingWindowSeconds: 10 },
    expect: { minRecords: 10, fillRate: { title: 0.95 }, types: { title: 'string' } },
    ...over,
  };
}

function explain(
  c: Collector,
  seeds = [
    'https://shop.example.com/a?page=1',
    'https://shop.example.com/b?page=1',
    'https://shop.example.com/c?page=1',
    'https://shop.example.com/d?page=1',
  ],
): Explanation {
  return explainCollector({ collector: resolveCollector(c), seeds, settings, volume });
}

describe('explainCollector', () => {
  it('counts the seeds and shows the first few', () => {
    const e = explain(spec());
    expect(e.seeds).toEqual({
      count: 4,
      first: ['https://shop.example.com/a?page=1', 'https://shop.example.com/b?page=1', 'https://shop.example.com/c?page=1'],
    });
    expect(formatExplanation(e)).toContain('... and 1 more');
  });

  it("measures the chain depth against Lambda's 16 invocations", () => {
    expect(explain(spec()).chain).toMatchObject({ maxPages: 100, pagesPerTask: 50, tasksInChain: 2, invocations: 3, limit: 16, ok: true });
    const long = explain(spec({ paginate: { type: 'next-link', selector: 'a.next', stop: { maxPages: 1000 } } })).chain;
    expect(long).toMatchObject({ tasksInChain: 20, invocations: 21, ok: false });
    expect(long.text).toContain('raise scaling.pagesPerTask to 67 or more');
    const fits = explain(
      spec({ paginate: { type: 'next-link', selector: 'a.next', stop: { maxPages: 1000 } }, scaling: { pagesPerTask: 67 } }),
    ).chain;
    expect(fits).toMatchObject({ tasksInChain: 15, invocations: 16, ok: true });
    expect(explain(spec({ paginate: { type: 'next-link', selector: 'a.next' } })).chain.text).toContain('no stop.maxPages');
    expect(explain(spec({ paginate: { type: 'page-number', totalPagesPath: 'pages' } })).chain).toMatchObject({ invocations: 3, ok: true });
  });

  it('works out the request rate the source can see', () => {
    const r = explain(spec()).rate;
    expect(r).toMatchObject({ perSecondPerInvocation: 5, maxConcurrency: 4, maxPerSecond: 20, inFlight: 12 });
    expect(r.text).toContain('4 invocations (scaling.maxConcurrency) x 5 requests/s each (request.rateLimit.perSecond) = 20 requests/s');
    expect(explain(spec({ request: {} })).rate.text).toMatch(/^no rate limit: up to 4 invocations x 8 requests in flight = 32/);
  });

  it('gives the queue and function settings, the schedule and the S3 keys', () => {
    const e = explain(spec());
    expect(e.queue).toMatchObject({
      batchSize: 4,
      batchingWindowSeconds: 10,
      maxConcurrency: 4,
      visibilityTimeoutSeconds: 1800,
      timeoutSeconds: 300,
      memoryMb: 1024,
      maxReceiveCount: 5,
    });
    expect(e.schedule).toMatchObject({ expression: 'rate(15 minutes)', runsPerMonth: 2922, timezone: 'UTC' });
    expect(e.s3.part).toBe('s3://project-bucket/raw/shop/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz');
    expect(e.s3.manifest).toBe('s3://project-bucket/raw/shop/dt=YYYY-MM-DD/run=<runId>/_manifest.json');
  });

  it('says what a failed run sets off: the alarm of the project, the SNS topic when there is one, and how to retry', () => {
    const e = explain(spec());
    expect(e.failure.join('\n')).toContain('5 failed deliveries, then the dead-letter queue');
    expect(e.failure.join('\n')).toContain('the alarm acme-collect-runs-failed-or-stalled fires');
    expect(e.failure.join('\n')).toContain('no SNS topic is told (set alarm.snsTopicArn');
    expect(e.failure.join('\n')).toContain('no progress for 120 min is marked stalled');
    expect(e.failure.join('\n')).toContain('npx collect retry shop <runId>');
    const told = explainCollector({
      collector: resolveCollector(spec()),
      seeds: [],
      settings: { ...settings, snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:data-alerts' },
      volume,
    });
    expect(told.failure.join('\n')).toContain(
      'the SNS topic arn:aws:sns:eu-west-1:123456789012:data-alerts is told the collector, the run and why',
    );
  });

  it('describes pagination with its stop rules, follow-ups and expectations in words', () => {
    const e = explain(spec());
    expect(e.pagination.how).toBe('follows the `href` of `a.next` on each page');
    expect(e.pagination.stops).toEqual(expect.arrayContaining(['there is no next link', '100 pages (stop.maxPages)']));
    expect(e.follow[0]).toContain('fetches the URL in field `url`');
    expect(e.follow[0]).toContain('merges 2 fields: price, sku');
    expect(e.expect).toEqual([
      'at least 10 records in a full run',
      'field title filled in at least 95% of records',
      'field title is a string',
    ]);
    const cursor = explain(
      spec({ paginate: { type: 'cursor', tokenPath: 'meta.next', param: 'after', stop: { totalPath: 'total' } } }),
    ).pagination;
    expect(cursor.how).toBe('sends the token from `meta.next` of each response as the query parameter `after`');
    expect(cursor.stops).toContain('the items seen reach `total` (stop.totalPath)');
  });

  it('shows the ceilings, the seeds planned against maxSeeds, and what a run does beyond each', () => {
    const e = explain(spec());
    expect(e.limits).toMatchObject({ maxPages: 100_000, maxItemsPerPage: 10_000, maxSeeds: 10_000, seeds: 4 });
    const [pages, items, seeds, ...more] = e.limits.lines;
    expect(more).toEqual([]);
    expect(pages).toMatch(/^maxPages 100,000 pages a run, listing, detail and continuation pages together; /);
    expect(pages).toContain('a full run is estimated at 100 pages (<1% of it)');
    expect(pages).toContain(
      'Beyond it: no further page is fetched, and the run ends failed with "limits.maxPages reached" in its manifest',
    );
    expect(pages).toContain('locally collect run exits 1');
    expect(items).toMatch(/^maxItemsPerPage 10,000 matches of extract.items on one page\. /);
    expect(items).toContain('that page fails on its own (TooManyItemsError in _errors/, none of its items kept); the run goes on');
    expect(seeds).toMatch(/^maxSeeds 10,000 seed URLs; this collector plans 4 \(<1% of it\)\. /);
    expect(seeds).toContain('collect validate refuses the collector, and a run stops before it plans any seed (TooManySeedsError)');

    const text = formatExplanation(e);
    expect(text).toContain('\nCeilings (limits; raise them in the YAML)\n');
    for (const line of e.limits.lines) expect(text).toContain(`  ${line}\n`);
    expect(formatExplanation(e, true)).toContain(`- ${e.limits.lines[2]}`);
  });

  it('says when the pages a run needs or the seeds it plans come near or past their ceiling', () => {
    const tight = explain(spec({ limits: { maxPages: 60, maxItemsPerPage: 25, maxSeeds: 5 } })).limits;
    expect(tight).toMatchObject({ maxPages: 60, maxItemsPerPage: 25, maxSeeds: 5, seeds: 4 });
    expect(tight.lines[0]).toContain(
      'a full run is estimated at 100 pages (test), MORE than this: it would stop short; raise limits.maxPages to at least 100',
    );
    expect(tight.lines[1]).toMatch(/^maxItemsPerPage 25 matches/);
    expect(tight.lines[2]).toContain('this collector plans 4 (80% of it)');
    const over = explain(spec({ limits: { maxSeeds: 3 } })).limits;
    expect(over.lines[2]).toContain('this collector plans 4, MORE than allowed: it does not validate and no run starts');
  });
});

describe('collect explain on the example collectors', () => {
  it('prints every section for each file', async () => {
    const io = captureIO(ROOT);
    expect(await explainCommand.run(['collectors/books-toscrape.yaml', 'collectors/github-issues.yaml'], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('Seeds: 1 URL\n  https://books.toscrape.com/catalogue/page-1.html');
    expect(out).toContain('https://api.github.com/repos/octokit-fixture-org/paginate-issues/issues');
    for (const title of [
      'Pagination: next-link',
      'Follow-ups',
      'Pages per run',
      "Chain depth: within Lambda's 16-invocation recursion limit",
      'Request rate the source can see',
      'Queue and function',
      'S3 keys',
      'Ceilings (limits; raise them in the YAML)',
      'Expectations',
      'When a run fails (on AWS)',
    ]) {
      expect(out.split(title).length - 1).toBe(2);
    }
    expect(out).toContain('recording: collectors/books-toscrape.har: ');
    expect(out).toContain('follows the rel="next" URL of the HTTP Link header');
    expect(out).toContain('  maxSeeds 10,000 seed URLs; this collector plans 1 (<1% of it). Beyond it: ');
    expect(out.match(/^ {2}maxPages 100,000 pages a run/gm)).toHaveLength(2);
  });

  it('writes JSON and Markdown', async () => {
    const io = captureIO(ROOT);
    expect(await explainCommand.run(['collectors/github-issues.yaml', '--format', 'json', '--var', 'api_url=http://127.0.0.1:9'], io)).toBe(
      0,
    );
    const e = JSON.parse(io.out()) as Explanation;
    expect(e.seeds.first).toEqual(['http://127.0.0.1:9/repos/octokit-fixture-org/paginate-issues/issues']);
    expect(e.pages.perRun.source).toContain('a complete run');
    expect(e.limits).toMatchObject({ maxPages: 100_000, maxItemsPerPage: 10_000, maxSeeds: 10_000, seeds: 1 });
    const md = captureIO(ROOT);
    await explainCommand.run(['collectors/github-issues.yaml', '--format', 'markdown'], md);
    expect(md.out()).toMatch(/^### `github-issues`/);
  });
});
