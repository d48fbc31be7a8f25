import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import { runTask, type TaskDraft } from '../../runtime/core/engine/run-task.ts';
import type { TaskOptions, TaskPorts } from '../../runtime/core/engine/task-context.ts';
import { silentLogger } from '../../runtime/core/engine/ports.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { MemorySink } from '../../runtime/adapters/memory-sink.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

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

interface Setup {
  ports?: Partial<TaskPorts>;
  options?: Partial<TaskOptions>;
}

/** Runs one task as the Lambda would (hop-limited) and commits its part; `sent` gets its follow-ups. */
async function run(spec: Collector, task: Task, sent: Task[], setup: Setup = {}): Promise<TaskDraft> {
  const resolved = resolveCollector(spec);
  const compiled = compileCollector(resolved, { allowPrivateNetwork: true });
  const ports: TaskPorts = {
    fetcher: new HttpFetcher(),
    secrets: new SecretResolver({}),
    sink: new MemorySink(),
    logger: silentLogger,
    ...setup.ports,
  };
  const draft = await runTask(task, compiled, { collector: spec.name, runId: '20240101T000000Z', output: spec.output }, ports, {
    hopLimited: true,
    finalAttempt: false,
    ...setup.options,
  });
  await draft.part.commit(draft.stats);
  sent.push(...draft.followUps);
  return draft;
}

const seedOf = (spec: Collector): Task => planSeeds(resolveCollector(spec), { runId: '20240101T000000Z' })[0]!;

describe('a task is a unit of work', () => {
  it('sends nothing itself: the follow-ups wait in the draft until the driver commits', async () => {
    const spec = listing();
    const resolved = resolveCollector(spec);
    const sink = new MemorySink();
    const ports: TaskPorts = { fetcher: new HttpFetcher(), secrets: new SecretResolver({}), sink, logger: silentLogger };
    const draft = await runTask(
      { ...seedOf(spec), hop: 1 },
      compileCollector(resolved, { allowPrivateNetwork: true }),
      { collector: spec.name, runId: '20240101T000000Z', output: spec.output },
      ports,
      { hopLimited: true, finalAttempt: false },
    );
    expect(draft.followUps).toHaveLength(1);
    expect(sink.records()).toEqual([]);
    await draft.part.commit(draft.stats);
    expect(sink.records()).toHaveLength(15);
  });

  it('runs a stretch of the chain inline and hands the rest on as one continuation', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const out = await run(spec, { ...seedOf(spec), hop: 1 }, sent);
    expect(out.stats.pages).toBe(3);
    expect(out.stats.records).toBe(15);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ page: 4, hop: 2, url: `${site.url}/catalogue/page-4.html` });
  });

  it('never sends the 16th hop: it goes on inline instead', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const out = await run(spec, { ...seedOf(spec), hop: 15 }, sent);
    expect(sent).toHaveLength(0);
    expect(out.stats.pages).toBe(40); // the whole chain of 40 listing pages
    expect(out.stats.records).toBe(200);
  });

  it('hands the chain on when the time budget runs short', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const out = await run(spec, { ...seedOf(spec), hop: 1 }, sent, { ports: { remainingMs: () => 1000 }, options: { reserveMs: 5000 } });
    expect(out.stats.pages).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('reports a chain stopped at the hop limit loudly when it cannot go on inline', async () => {
    const spec = listing();
    const sent: Task[] = [];
    const out = await run(spec, { ...seedOf(spec), hop: 15 }, sent, { ports: { remainingMs: () => 1000 }, options: { reserveMs: 5000 } });
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
      const sink = new MemorySink();
      const out = await run(spec, { ...seedOf(spec), hop: 1 }, sent, { ports: { sink } });
      expect(out.stats.records).toBe(5);
      expect(sink.records()).toHaveLength(5);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ page: 2, hop: 2, url: `${flaky.url}/catalogue/page-2.html` });
      // The first page of a task failing this way fails the task, so SQS delivers it again.
      await expect(run(spec, sent[0]!, [])).rejects.toThrow(/detail page .*_7\/index.html/);
    } finally {
      await flaky.close();
    }
  });
});
