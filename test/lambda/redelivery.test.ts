// At-least-once delivery: SQS may deliver a message again, an invocation may
// die after its part is written, a page may fail on every delivery. None of it
// may lose a record or write one twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import type { SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue, queueDepth, type DriveReport } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { captureOutput, deploy, lambdaContext, logLines } from './support.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
let alwaysFailing = '';
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startBooksSite({
    detailCount: 60,
    perPage: 10,
    intercept: (req, res) => {
      if (alwaysFailing && req.url?.includes(alwaysFailing)) {
        res.writeHead(503).end('down');
        return true;
      }
      return false;
    },
  });
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const shop = (): Collector => ({
  name: 'shop',
  start: { urls: [`${site.url}/catalogue/page-1.html`] },
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
  request: { rateLimit: { perSecond: 2000, concurrency: 8 }, retries: { attempts: 1, baseDelaySeconds: 0.01 } },
  scaling: { pagesPerTask: 2 },
  output: 's3://x/shop',
});

const PREFIX = 'shop/dt=2024-07-01/run=20240701T000000Z/';
const START = { collector: 'shop', scheduledTime: '2024-07-01T00:00:00Z' };

async function expectEveryBookOnce(bucket: string): Promise<void> {
  const records = await readAllRecords(aws.s3, bucket, PREFIX);
  expect(records).toHaveLength(60);
  expect(new Set(records.map((r) => r.url)).size).toBe(60);
}

describe('redelivery', () => {
  it('skips a message delivered twice once its part exists, so neither records nor the chain double', async () => {
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }]);
    const queueUrl = dep.queues.shop!.url;
    try {
      await dep.handler(START, lambdaContext());
      const got = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 1,
          VisibilityTimeout: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      const m = got.Messages![0]!;
      const event: SqsEvent = {
        Records: [
          {
            messageId: m.MessageId!,
            receiptHandle: m.ReceiptHandle!,
            body: m.Body!,
            attributes: { ApproximateReceiveCount: '1' },
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn',
          },
        ],
      };
      // The same delivery twice (the second as SQS would redeliver it); neither is deleted yet.
      expect(await dep.handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
      const afterFirst = await listKeys(aws.s3, dep.bucket, PREFIX);
      event.Records[0]!.attributes.ApproximateReceiveCount = '2';
      expect(await dep.handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
      expect(await listKeys(aws.s3, dep.bucket, PREFIX)).toEqual(afterFirst);
      // The second delivery found the part and skipped the task: one continuation was sent, not two.
      // The seed comes back once its visibility timeout (1 s) ends and is skipped again.
      const report = await drainQueue({ sqs: aws.sqs, queueUrl, handler: dep.handler, batchSize: 2 });
      expect(report.received.length).toBe(3); // the seed again, and one copy of each continuation
    } finally {
      await dep.handler.close();
    }
    const parts = (await listKeys(aws.s3, dep.bucket, PREFIX)).filter((k) => k.endsWith('.jsonl.gz'));
    expect(parts).toHaveLength(3); // pages 1-2, 3-4, 5-6
    await expectEveryBookOnce(dep.bucket);
  });

  it('redoes a task whose invocation failed after its part was written, without doubling it', async () => {
    const sqs = motoClients(moto.endpoint).sqs;
    let sends = 0;
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        // The first continuation (the second batch sent: the seeds were the first) fails once.
        if (context.commandName === 'SendMessageBatchCommand' && ++sends === 2)
          throw Object.assign(new Error('SQS is having a bad day'), { name: 'InternalError' });
        return next(args);
      },
      { step: 'initialize', name: uniqueName('fail') },
    );
    const dep = await deploy({ ...aws, sqs }, [{ collector: shop(), hash: 'h' }]);
    const out = captureOutput();
    let report: DriveReport;
    try {
      await dep.handler(START, lambdaContext());
      report = await drainQueue({ sqs, queueUrl: dep.queues.shop!.url, handler: dep.handler, batchSize: 1, concurrency: 1 });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    expect(report.invocations[0]!.failed).toHaveLength(1);
    expect(report.invocations[1]!.receiveCounts).toEqual([2]);
    expect(
      logLines(out.text()).some((l) => l.level === 'ERROR' && l.message === 'task failed unexpectedly' && l.error === 'InternalError'),
    ).toBe(true);
    await expectEveryBookOnce(dep.bucket);
    expect((await listKeys(aws.s3, dep.bucket, PREFIX)).filter((k) => k.endsWith('.jsonl.gz'))).toHaveLength(3);
  });

  it('reports a page that fails on every delivery on the last one, instead of losing it to the DLQ', async () => {
    alwaysFailing = '_15/index.html';
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], { maxReceiveCount: 3 });
    let report: DriveReport;
    try {
      await dep.handler(START, lambdaContext());
      report = await drainQueue({ sqs: aws.sqs, queueUrl: dep.queues.shop!.url, handler: dep.handler, batchSize: 1, concurrency: 1 });
    } finally {
      alwaysFailing = '';
      await dep.handler.close();
    }
    // The seed keeps the pages before the failing one and hands the chain on; deliveries 1 and 2
    // of that continuation are retried, the third is its last and reports the page.
    expect(report.invocations.slice(0, 4).map((i) => [i.receiveCounts[0], i.failed.length])).toEqual([
      [1, 0],
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
    const records = await readAllRecords(aws.s3, dep.bucket, PREFIX);
    expect(records).toHaveLength(59);
    const errorKeys = (await listKeys(aws.s3, dep.bucket, PREFIX)).filter((k) => k.includes('/_errors/'));
    expect(errorKeys).toHaveLength(1);
    const errors = await getJson<TaskErrorReport>(aws.s3, dep.bucket, errorKeys[0]!);
    expect(errors).toMatchObject({ attempt: 3, failures: [{ status: 503, error: 'HttpStatusError' }] });
    expect(errors.failures[0]!.url).toContain('_15/index.html');
    expect(await queueDepth(aws.sqs, dep.queues.shop!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('sends a message that is not a task to the dead-letter queue, loudly', async () => {
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], { maxReceiveCount: 2 });
    const out = captureOutput();
    try {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: dep.queues.shop!.url, MessageBody: '{"hello":"world"}' }));
      await drainQueue({ sqs: aws.sqs, queueUrl: dep.queues.shop!.url, handler: dep.handler, batchSize: 1, concurrency: 1 });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    expect(await queueDepth(aws.sqs, dep.queues.shop!.dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
    expect(logLines(out.text()).filter((l) => l.level === 'ERROR' && /not a task/.test(String(l.message)))).toHaveLength(2);
  });
});
