// At-least-once delivery: SQS may deliver a message again, an invocation may
// die after its task was committed, a page may fail on every delivery, a task
// may die on every delivery. None of it may lose a record or write one twice,
// and every run still ends: a duplicate settles through the run ledger, a
// committed task is announced again rather than run again, a task that keeps
// failing is reported on its last delivery, and one that never got that far is
// recorded as failed from the dead-letter queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import type { SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue, queueDepth, type DriveReport } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { countPuts, getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { captureOutput, deploy, lambdaContext, logLines, queueArn, runEnd } from './support.ts';

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

const RUN = '20240701T000000Z';
const PREFIX = `shop/dt=2024-07-01/run=${RUN}/`;
const START = { collector: 'shop', scheduledTime: '2024-07-01T00:00:00Z' };
const isPart = (key: string) => key.endsWith('.jsonl.gz');

async function expectEveryBookOnce(bucket: string): Promise<void> {
  const records = await readAllRecords(aws.s3, bucket, PREFIX);
  expect(records).toHaveLength(60);
  expect(new Set(records.map((r) => r.url)).size).toBe(60);
}

describe('redelivery', () => {
  it('settles a message delivered twice through the run ledger, so neither records nor the chain double', async () => {
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }]);
    const queueUrl = dep.queues.shop!.url;
    const out = captureOutput();
    let report: DriveReport;
    let seedId = '';
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
      seedId = (JSON.parse(m.Body!) as TaskMessage).task.id;
      const event: SqsEvent = {
        Records: [
          {
            messageId: m.MessageId!,
            receiptHandle: m.ReceiptHandle!,
            body: m.Body!,
            attributes: { ApproximateReceiveCount: '1' },
            eventSource: 'aws:sqs',
            eventSourceARN: await queueArn(aws.sqs, queueUrl),
          },
        ],
      };
      // The same delivery twice (the second as SQS would redeliver it); neither is deleted yet.
      expect(await dep.handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
      const afterFirst = await listKeys(aws.s3, dep.bucket, PREFIX);
      event.Records[0]!.attributes.ApproximateReceiveCount = '2';
      expect(await dep.handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
      expect(await listKeys(aws.s3, dep.bucket, PREFIX)).toEqual(afterFirst);
      // The seed comes back once its visibility timeout (1 s) ends and is settled again.
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl,
        deadLetterQueueUrl: dep.queues.shop!.dlqUrl,
        handler: dep.handler,
        batchSize: 2,
      });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    // The ledger knew the task was done: the second delivery ran nothing and sent nothing (one
    // continuation was sent, not two).
    const summaries = logLines(out.text()).filter((l) => l.message === 'invocation');
    expect(summaries[2]).toMatchObject({ kind: 'tasks', messages: 1, done: 0, skipped: 1, pages: 0, sent: 0 });
    expect(report.received.length).toBe(3); // the seed again, and one copy of each continuation
    const ids = report.received.map((b) => (JSON.parse(b) as TaskMessage).task.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain(seedId);
    const parts = (await listKeys(aws.s3, dep.bucket, PREFIX)).filter(isPart);
    expect(parts).toHaveLength(3); // pages 1-2, 3-4, 5-6
    await expectEveryBookOnce(dep.bucket);
    const { run, manifest } = await runEnd(aws, dep, 'shop', RUN, PREFIX);
    expect(run).toMatchObject({ state: 'succeeded', open: 0, done: 3 });
    expect(manifest).toMatchObject({ status: 'succeeded', tasks: 3, records: 60 });
  });

  it('announces again, without running it again, a task whose invocation failed after its commit', async () => {
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
    const s3 = motoClients(moto.endpoint).s3;
    const puts = countPuts(s3);
    const dep = await deploy({ ...aws, sqs, s3 }, [{ collector: shop(), hash: 'h' }]);
    const out = captureOutput();
    let report: DriveReport;
    try {
      await dep.handler(START, lambdaContext());
      report = await drainQueue({
        sqs,
        queueUrl: dep.queues.shop!.url,
        deadLetterQueueUrl: dep.queues.shop!.dlqUrl,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
      });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    expect(report.invocations[0]!.failed).toHaveLength(1);
    expect(report.invocations[1]!.receiveCounts).toEqual([2]);
    const lines = logLines(out.text());
    expect(
      lines.some((l) => l.level === 'ERROR' && l.message === 'task could not be committed or announced' && l.error === 'InternalError'),
    ).toBe(true);
    // The redelivery found the task committed in the ledger: it sent the recorded follow-up and
    // counted the task done, without fetching or writing its part again.
    expect(lines.filter((l) => l.message === 'invocation')[2]).toMatchObject({ kind: 'tasks', announced: 1, done: 0, pages: 0 });
    expect(puts.keys.filter(isPart)).toHaveLength(3);
    await expectEveryBookOnce(dep.bucket);
    expect((await listKeys(aws.s3, dep.bucket, PREFIX)).filter(isPart)).toHaveLength(3);
    const { run, manifest } = await runEnd(aws, dep, 'shop', RUN, PREFIX);
    expect(run).toMatchObject({ state: 'succeeded', open: 0, done: 3 });
    expect(manifest).toMatchObject({ status: 'succeeded', records: 60 });
  });

  it('reports a page that fails on every delivery on the last one, instead of losing it to the DLQ', async () => {
    alwaysFailing = '_15/index.html';
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], { maxReceiveCount: 3 });
    let report: DriveReport;
    try {
      await dep.handler(START, lambdaContext());
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.shop!.url,
        deadLetterQueueUrl: dep.queues.shop!.dlqUrl,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
      });
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
    expect(report.deadLetters).toEqual([]);
    expect(await queueDepth(aws.sqs, dep.queues.shop!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    // The task was committed with its failure (not failed for good): the run ends, failed, for one page.
    const { run, manifest } = await runEnd(aws, dep, 'shop', RUN, PREFIX);
    expect(run).toMatchObject({ state: 'failed', open: 0, failedTasks: 0 });
    expect(manifest).toMatchObject({ status: 'failed', records: 59, failures: 1 });
  });

  it('records a task whose every delivery died as failed, from the dead-letter queue, and the run still ends', async () => {
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], { maxReceiveCount: 2 });
    const tasksArn = await queueArn(aws.sqs, dep.queues.shop!.url);
    // Every invocation that gets the first continuation (pages 3-4) dies before it can do anything
    // (a crash or a timeout: nothing reported, the whole batch comes back).
    const dying = async (event: SqsEvent, context: Parameters<typeof dep.handler>[1]) => {
      const doomed = event.Records.some((r) => r.eventSourceARN === tasksArn && (JSON.parse(r.body) as TaskMessage).task.page === 3);
      if (doomed) throw new Error('the invocation died');
      return dep.handler(event, context);
    };
    const out = captureOutput();
    let report: DriveReport;
    try {
      await dep.handler(START, lambdaContext());
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.shop!.url,
        deadLetterQueueUrl: dep.queues.shop!.dlqUrl,
        handler: dying,
        batchSize: 1,
        concurrency: 1,
      });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    expect(report.invocations.map((i) => [i.receiveCounts[0], i.threw])).toEqual([
      [1, false],
      [1, true],
      [2, true],
    ]);
    // SQS moved the message to the dead-letter queue after its second receive; the function took it from there.
    expect(report.deadLetters).toHaveLength(1);
    expect(report.deadLetters[0]!.failed).toEqual([]);
    expect(await queueDepth(aws.sqs, dep.queues.shop!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    // The seed's records stay; the failed task's chain (pages 3-6) is not collected.
    expect(await readAllRecords(aws.s3, dep.bucket, PREFIX)).toHaveLength(20);
    const { run, manifest } = await runEnd(aws, dep, 'shop', RUN, PREFIX);
    expect(run).toMatchObject({ state: 'failed', open: 0, done: 1, failedTasks: 1 });
    expect(manifest).toMatchObject({ status: 'failed', records: 20 });
    const failed = await dep.ledger.failedTasks('shop', RUN);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ task: { page: 3 }, failure: { error: 'DeadLetter' } });
    // Its error report says what happened, for `collect status`.
    const errors = await getJson<TaskErrorReport>(aws.s3, dep.bucket, `${PREFIX}_errors/${failed[0]!.task.id}.json`);
    expect(errors.failures[0]).toMatchObject({ error: 'DeadLetter', message: expect.stringMatching(/every delivery of the task failed/) });
    const lines = logLines(out.text());
    expect(lines.filter((l) => l.message === 'task failed for good')).toEqual([
      expect.objectContaining({ level: 'WARN', runId: RUN, error: 'DeadLetter' }),
    ]);
    expect(lines.filter((l) => l.message === 'run finished')).toEqual([
      expect.objectContaining({
        level: 'WARN',
        status: 'failed',
        failedTasks: 1,
        problems: expect.arrayContaining([expect.stringMatching(/1 task failed for good/)]),
      }),
    ]);
  });

  it('sends a message that is not a task to the dead-letter queue, loudly, where it is logged and dropped', async () => {
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], { maxReceiveCount: 2 });
    const out = captureOutput();
    let report: DriveReport;
    try {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: dep.queues.shop!.url, MessageBody: '{"hello":"world"}' }));
      report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.shop!.url,
        deadLetterQueueUrl: dep.queues.shop!.dlqUrl,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
      });
    } finally {
      out.restore();
      await dep.handler.close();
    }
    // Two deliveries from the task queue, each refused; then the dead-letter queue's consumer
    // cannot count it for any run, so it logs it and drops it (no longer left in the queue).
    expect(report.invocations.map((i) => i.failed.length)).toEqual([1, 1]);
    expect(report.deadLetters).toHaveLength(1);
    expect(report.deadLetters[0]!.failed).toEqual([]);
    expect(await queueDepth(aws.sqs, dep.queues.shop!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const errors = logLines(out.text()).filter((l) => l.level === 'ERROR' && /not a task/.test(String(l.message)));
    expect(errors.map((l) => l.message)).toEqual([
      'message is not a task; it will reach the dead-letter queue',
      'message is not a task; it will reach the dead-letter queue',
      'dead letter is not a task; dropped',
    ]);
    expect(errors[2]).toMatchObject({ body: '{"hello":"world"}' });
  });
});
