// Depth on SQS: a next-link chain handed on task by task must never send the
// 16th hop (Lambda would drop it), and must still finish: the run ends itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import { MAX_HOP } from '../../runtime/core/engine/task.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue, queueDepth } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { countPuts, readAllRecords } from '../aws/s3-read.ts';
import { deploy, lambdaContext, runEnd } from './support.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startBooksSite({ detailCount: 200, perPage: 5 }); // 40 listing pages
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const chain = (): Collector => ({
  name: 'chain',
  start: { urls: [`${site.url}/catalogue/page-1.html`] },
  parse: 'html',
  extract: {
    items: 'article.product_pod',
    fields: { title: { selector: 'h3 a', attr: 'title', required: true }, url: { selector: 'h3 a', attr: 'href', type: 'url' } },
  },
  paginate: { type: 'next-link', selector: 'li.next a' },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
  scaling: { pagesPerTask: 2, batchSize: 1 },
  output: 's3://ignored-bucket/chains/{{ name }}',
});

describe('a 40-page next-link chain on Lambda', () => {
  it('finishes with no message past hop 15: past it the chain goes on inline', async () => {
    const dep = await deploy(aws, [{ collector: chain(), hash: 'h' }]);
    const puts = countPuts(aws.s3);
    try {
      await dep.handler({ collector: 'chain', scheduledTime: '2024-02-03T04:05:06Z' }, lambdaContext());
      const report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.chain!.url,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
        deadLetterQueueUrl: dep.queues.chain!.dlqUrl,
      });
      const hops = report.received.map((b) => (JSON.parse(b) as TaskMessage).task.hop);
      expect(Math.max(...hops)).toBe(MAX_HOP);
      expect(hops).toEqual(Array.from({ length: MAX_HOP }, (_, i) => i + 1));
      const pages = report.received.map((b) => (JSON.parse(b) as TaskMessage).task.page);
      expect(pages).toEqual(Array.from({ length: MAX_HOP }, (_, i) => 2 * i + 1)); // 1, 3, 5 ... 29: the last task ran pages 29-40
    } finally {
      await dep.handler.close();
    }
    const prefix = 'chains/chain/dt=2024-02-03/run=20240203T040506Z/';
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.url)).size).toBe(200);
    expect(puts.puts).toBe(3 + MAX_HOP); // _run.json, one part per task, _manifest.json and the run's row of collect_runs
    expect(await queueDepth(aws.sqs, dep.queues.chain!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const { run, manifest } = await runEnd(aws, dep, 'chain', '20240203T040506Z', prefix);
    expect(run).toMatchObject({ state: 'succeeded', open: 0, done: MAX_HOP, failedTasks: 0 });
    expect(manifest).toMatchObject({ status: 'succeeded', tasks: MAX_HOP, pages: 40, records: 200 });
  });
});
