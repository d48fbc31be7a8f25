// End to end on real AWS APIs (moto): a scheduled start, the task queue and the
// dead-letter queue driven as their event source mappings do, a local books
// site that misbehaves on purpose, S3 holding exactly the expected records,
// each once, and the run ending itself (the ledger's state and _manifest.json).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadBookPages } from '../../demo/sites/books-pages.ts';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import type { RunStarted } from '../../runtime/drivers/lambda/start-run.ts';
import { drainQueue, queueDepth, type DriveReport } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { runRowKey } from '../../runtime/language/deployment-names.ts';
import { countPuts, getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { booksCollector, captureOutput, deploy, lambdaContext, lambdaTraceId, logLines, runEnd } from './support.ts';

const BOOKS = 1000;
const PER_PAGE = 20;
const FLAKY = 7; // 500 for its first three requests: one delivery fails, the next succeeds
const MISSING = 13; // 404, always
const BROKEN = 21; // a detail page without a price (a required field)
const SLOW_LISTING = '/catalogue/page-3.html'; // 503 once, retried by the fetcher

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
const hits = new Map<string, number>();

function misbehave(req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const hit = (hits.get(path) ?? 0) + 1;
  hits.set(path, hit);
  const n = Number(/_(\d+)\/index\.html$/.exec(path)?.[1] ?? 0);
  // Answers the request itself; true tells the site it was intercepted.
  const send = (status: number, body: string): true => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
    return true;
  };
  if (n === FLAKY && hit <= 3) return send(500, 'oops');
  if (n === MISSING) return send(404, 'gone');
  if (n === BROKEN) return send(200, loadBookPages()[(BROKEN - 1) % 200]!.html.replace(/<p class="price_color">[^<]*<\/p>/g, ''));
  if (path === SLOW_LISTING && hit === 1) return send(503, 'busy');
  return false;
}

beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startBooksSite({ detailCount: BOOKS, perPage: PER_PAGE, intercept: misbehave });
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

describe('the books example on Lambda', () => {
  it('collects every book exactly once, reports what failed for good, and stays within the PUT and log budgets', async () => {
    const books = await booksCollector(site.url);
    const dep = await deploy(aws, [books]);
    const puts = countPuts(aws.s3);
    // As on Lambda: with a trace id Powertools buffers the debug lines of each invocation.
    const untrace = lambdaTraceId();
    const out = captureOutput();
    let started: RunStarted;
    let report: DriveReport;
    try {
      started = (await dep.handler({ collector: 'books-toscrape', scheduledTime: '2024-05-01T06:00:00Z' }, lambdaContext())) as RunStarted;
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues['books-toscrape']!.url,
        handler: dep.handler,
        batchSize: books.collector.scaling!.batchSize!,
        concurrency: books.collector.scaling!.maxConcurrency!,
        timeoutMs: 120_000,
        deadLetterQueueUrl: dep.queues['books-toscrape']!.dlqUrl,
      });
    } finally {
      out.restore();
      untrace();
      await dep.handler.close();
    }
    expect(started).toMatchObject({
      collector: 'books-toscrape',
      runId: '20240501T060000Z',
      seeds: 1,
      output: `s3://${dep.bucket}/raw/books-toscrape`,
      opened: true,
    });

    // The flaky page failed the first delivery; the second one succeeded.
    expect(report.invocations.map((i) => i.failed.length)).toEqual([1, 0]);
    expect(report.invocations[1]!.receiveCounts).toEqual([2]);

    const prefix = 'raw/books-toscrape/dt=2024-05-01/run=20240501T060000Z/';
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    const numbers = records.map((r) => Number(/_(\d+)\/index\.html$/.exec(String(r.url))![1]));
    const expected = Array.from({ length: BOOKS }, (_, i) => i + 1).filter((n) => n !== MISSING && n !== BROKEN);
    expect(numbers.sort((a, b) => a - b)).toEqual(expected);
    expect(new Set(records.map((r) => r.url)).size).toBe(records.length);
    expect(records.every((r) => typeof r.price === 'number' && typeof r.upc === 'string')).toBe(true);

    const keys = await listKeys(aws.s3, dep.bucket, prefix);
    const errorKeys = keys.filter((k) => k.includes('/_errors/'));
    expect(keys.filter((k) => k.endsWith('.jsonl.gz'))).toHaveLength(1);
    expect(keys).toContain(`${prefix}_run.json`);
    expect(keys).toContain(`${prefix}_manifest.json`);
    expect(errorKeys).toHaveLength(1);
    const errors = await getJson<TaskErrorReport>(aws.s3, dep.bucket, errorKeys[0]!);
    expect(errors.failures.map((f) => f.status ?? f.error).sort()).toEqual([404, 'Error'].sort());
    expect(errors.failures.some((f) => /price/.test(f.message))).toBe(true);
    expect(errors.attempt).toBe(2);

    // Nothing went to the dead-letter queue.
    expect(report.deadLetters).toEqual([]);
    expect(await queueDepth(aws.sqs, dep.queues['books-toscrape']!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });

    // The run ended itself when its one task was done: failed, for the two pages that failed for good
    // (and the 998 records short of the collector's minRecords), with the manifest written.
    const pages = BOOKS + BOOKS / PER_PAGE;
    const fetched = pages - 1;
    const { run, manifest } = await runEnd(aws, dep, 'books-toscrape', '20240501T060000Z', prefix);
    expect(run).toMatchObject({ state: 'failed', open: 0, done: 1, failedTasks: 0, seeds: 1 });
    expect(run!.stats).toMatchObject({ pages: fetched, records: BOOKS - 2, failures: 2 });
    expect(manifest).toMatchObject({ status: 'failed', tasks: 1, pages: fetched, records: BOOKS - 2, failures: 2 });
    expect(manifest!.parts).toHaveLength(1);

    // PUTs: _run.json, the one part, the error report, _manifest.json and the run's row of collect_runs, for 1,050 pages
    // (1,049 fetched: the 404 is a failure, not a page).
    expect(puts.puts).toBe(5);
    const row = await getJson<Record<string, unknown>>(aws.s3, dep.bucket, runRowKey('2024-05-01', 'books-toscrape', '20240501T060000Z'));
    expect(row).toMatchObject({ collector: 'books-toscrape', runId: '20240501T060000Z', status: 'failed', records: BOOKS - 2 });
    expect(puts.puts / pages).toBeLessThanOrEqual(0.1);

    // Logs at the default level (INFO): a summary line per invocation, a warning per troubled task,
    // one line for the run's end (a warning: it failed), EMF metrics.
    const logBytes = Buffer.byteLength(out.text());
    expect(logBytes / pages).toBeLessThanOrEqual(200);
    console.info(
      `books on Lambda: ${puts.puts} PUTs for ${pages} pages (${(puts.puts / pages).toFixed(4)} a page); ${logBytes} log bytes (${(logBytes / pages).toFixed(1)} a page)`,
    );
    const lines = logLines(out.text());
    const summaries = lines.filter((l) => l.message === 'invocation');
    expect(summaries).toHaveLength(3); // start + two deliveries
    expect(summaries.every((l) => l.level === 'INFO')).toBe(true);
    expect(summaries.map((l) => l.kind)).toEqual(['start', 'tasks', 'tasks']);
    const finished = lines.filter((l) => l.message === 'run finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ level: 'WARN', collector: 'books-toscrape', status: 'failed', records: BOOKS - 2, failures: 2 });
    // No other warning: none from the libraries at cold start, only the product's own.
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.message)).toEqual([
      'task will be retried',
      'task had permanent failures; see the run error report',
      'run finished',
    ]);
    expect(lines.some((l) => l.level === 'DEBUG' || l.level === 'ERROR')).toBe(false);
    expect(out.text()).not.toContain('A Light in the Attic'); // no record contents in logs
    expect(out.text()).toMatch(/"Pages":1049,"Records":998,"Failures":2/);

    // The retries (the 503 listing and the flaky page's second try) are in the run's totals too.
    expect(run!.stats.retries).toBeGreaterThanOrEqual(2);
  });
});
