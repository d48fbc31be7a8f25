// A tiny time budget: tasks hand their chains on after one page, later tasks of
// a batch are not started and go back to SQS, and still every record lands in
// S3 exactly once and the run ends itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booksSiteHandler, startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue, queueDepth, type DriveReport } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { listKeys, readAllRecords } from '../aws/s3-read.ts';
import { deploy, lambdaContext, runEnd } from './support.ts';

const LISTING_DELAY_MS = 200;

let moto: Moto;
let aws: AwsTestClients;
const sites: RunningSite[] = [];
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  for (let i = 0; i < 3; i++) {
    const books = booksSiteHandler({ detailCount: 30, perPage: 10 });
    // Listing pages are slow, so that one task uses up most of an invocation.
    sites.push(
      await startSite((req, res) =>
        /page-\d+\.html$/.test(req.url ?? '') ? void setTimeout(() => books(req, res), LISTING_DELAY_MS) : books(req, res),
      ),
    );
  }
});
afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
  await moto?.stop();
});

const threeShops = (): Collector => ({
  name: 'shops',
  start: { urls: sites.map((s) => `${s.url}/catalogue/page-1.html`) as [string, ...string[]] },
  parse: 'html',
  extract: {
    items: 'article.product_pod',
    fields: {
      title: { selector: 'h3 a', attr: 'title', required: true },
      url: { selector: 'h3 a', attr: 'href', type: 'url', required: true },
    },
  },
  follow: { field: 'url', extract: { fields: { upc: { selector: 'table.table-striped tr:nth-child(1) td', required: true } } } },
  paginate: { type: 'next-link', selector: 'li.next a' },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
  scaling: { batchSize: 3 },
  output: 's3://x/shops',
});

describe('a tiny time budget', () => {
  it('loses nothing and writes nothing twice', async () => {
    // 600 ms an invocation: a task gets its first page (200 ms and more), then hands on; a second task would not fit.
    const dep = await deploy(aws, [{ collector: threeShops(), hash: 'h' }], {
      taskConcurrency: 1,
      reserveMs: 300,
      minStartMs: 450,
      maxReceiveCount: 30,
    });
    let report: DriveReport;
    try {
      const started = await dep.handler({ collector: 'shops', scheduledTime: '2024-06-01T00:00:00Z' }, lambdaContext());
      expect(started).toMatchObject({ seeds: 3 });
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.shops!.url,
        handler: dep.handler,
        batchSize: 3,
        concurrency: 1,
        timeoutMs: 600,
        deadLetterQueueUrl: dep.queues.shops!.dlqUrl,
      });
    } finally {
      await dep.handler.close();
    }
    // Tasks were left unstarted and handed back...
    const deferred = report.invocations.filter((i) => !i.threw && i.failed.length > 0);
    expect(deferred.length).toBeGreaterThan(0);
    // ... each invocation ran one task, and each task one page: 3 chains of 3 pages.
    const tasks = new Set(report.received.map((b) => (JSON.parse(b) as TaskMessage).task.id));
    expect(tasks.size).toBe(9);
    expect(report.invocations.every((i) => i.messageIds.length - i.failed.length <= 1)).toBe(true);

    const prefix = 'shops/dt=2024-06-01/run=20240601T000000Z/';
    const parts = (await listKeys(aws.s3, dep.bucket, prefix)).filter((k) => k.endsWith('.jsonl.gz'));
    expect(parts).toHaveLength(9);
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    expect(records).toHaveLength(90);
    expect(new Set(records.map((r) => r.url)).size).toBe(90);
    expect(records.every((r) => typeof r.upc === 'string')).toBe(true);
    expect(report.deadLetters).toEqual([]);
    expect(await queueDepth(aws.sqs, dep.queues.shops!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    // The task that ended last ended the run: nine tasks done, the manifest written.
    const { run, manifest } = await runEnd(aws, dep, 'shops', '20240601T000000Z', prefix);
    expect(run).toMatchObject({ state: 'succeeded', open: 0, done: 9, failedTasks: 0 });
    expect(manifest).toMatchObject({ status: 'succeeded', tasks: 9, records: 90 });
  });
});
