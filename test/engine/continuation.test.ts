import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import { runTask, type TaskEnv } from '../../runtime/core/engine/run-task.ts';
import { silentLogger } from '../../runtime/core/engine/ports.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { MemorySink } from '../../runtime/adapters/memory-sink.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';

let site: RunningSite;
beforeAll(async () => (site = await startBooksSite({ detailCount: 200, perPage: 5 })));
afterAll(() => site.close());

const listing = (): Collector => ({
  name: 'chain',
  start: { urls: [`${site.url}/catalogue/page-1.html`] },
  parse: 'html',
  extract: { items: 'article.product_pod', fields: { title: { selector: 'h3 a', attr: 'title' } } },
  paginate: { type: 'next-link', selector: 'li.next a' },
  scaling: { pagesPerTask: 3 },
  output: 's3://b/p',
});

function env(spec: Collector, sent: Task[], overrides: Partial<TaskEnv> = {}): TaskEnv {
  const compiled = compileCollector(spec, { allowPrivateNetwork: true });
  return {
    compiled,
    fetcher: new HttpFetcher(),
    secrets: new SecretResolver({}),
    sink: new MemorySink(),
    queue: { send: async (t) => void sent.push(...t) },
    run: { collector: spec.name, runId: '20240101T000000Z', output: spec.output },
    logger: silentLogger,
    hopLimited: true,
    finalAttempt: false,
    ...overrides,
  };
}

describe('a task is a unit of work', () => {
  it('runs a stretch of the chain inline and hands the rest on as one continuation', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const [seed] = planSeeds(spec, { runId: '20240101T000000Z' });
    const out = await runTask({ ...seed!, hop: 1 }, env(spec, sent));
    expect(out.stats.pages).toBe(3);
    expect(out.stats.records).toBe(15);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ page: 4, hop: 2, url: `${site.url}/catalogue/page-4.html` });
  });

  it('never sends the 16th hop: it goes on inline instead', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const [seed] = planSeeds(spec, { runId: '20240101T000000Z' });
    const out = await runTask({ ...seed!, hop: 15 }, env(spec, sent));
    expect(sent).toHaveLength(0);
    expect(out.stats.pages).toBe(40); // the whole chain of 40 listing pages
    expect(out.stats.records).toBe(200);
  });

  it('hands the chain on when the time budget runs short', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const [seed] = planSeeds(spec, { runId: '20240101T000000Z' });
    const out = await runTask({ ...seed!, hop: 1 }, env(spec, sent, { remainingMs: () => 1000, reserveMs: 5000 }));
    expect(out.stats.pages).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('reports a chain stopped at the hop limit loudly when it cannot go on inline', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const [seed] = planSeeds(spec, { runId: '20240101T000000Z' });
    const out = await runTask({ ...seed!, hop: 15 }, env(spec, sent, { remainingMs: () => 1000, reserveMs: 5000 }));
    expect(sent).toHaveLength(0);
    expect(out.stats.failures).toBe(1);
    expect(out.failures[0]!.error).toBe('HopLimitError');
    expect(out.warnings.join()).toMatch(/past Lambda's recursion limit/);
  });

  it('keeps the pages done when a detail page fails, and hands the rest of the chain on', async () => {
    const flaky = await startBooksSite({
      detailCount: 20,
      perPage: 5,
      intercept: (req, res) => {
        if (!req.url?.includes('_7/index.html')) return false; // book 7 sits on listing page 2
        res.writeHead(503).end();
        return true;
      },
    });
    try {
      const spec: Collector = {
        ...listing(),
        start: { urls: [`${flaky.url}/catalogue/page-1.html`] },
        extract: { items: 'article.product_pod', fields: { url: { selector: 'h3 a', attr: 'href', type: 'url' } } },
        follow: { field: 'url', extract: { fields: { upc: 'table tr:nth-child(1) td' } } },
        request: { retries: { attempts: 0 } },
      };
      const sent: Task[] = [];
      const [seed] = planSeeds(spec, { runId: '20240101T000000Z' });
      const sink = new MemorySink();
      const out = await runTask({ ...seed!, hop: 1 }, env(spec, sent, { sink }));
      expect(out.stats.records).toBe(5);
      expect(sink.records()).toHaveLength(5);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ page: 2, hop: 2, url: `${flaky.url}/catalogue/page-2.html` });
      // The first page of a task failing this way fails the task, so SQS delivers it again.
      await expect(runTask(sent[0]!, env(spec, []))).rejects.toThrow(/detail page .*_7\/index.html/);
    } finally {
      await flaky.close();
    }
  });
});
