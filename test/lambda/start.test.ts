// The scheduled start: the run id comes from the scheduled time, so a retried
// or duplicated start is the same run: the ledger opens it once and registers
// its seed tasks once, and a start that comes after the run ended sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { UnknownCollectorError } from '../../runtime/drivers/lambda/collectors.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue, queueDepth } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { deploy, lambdaContext, runEnd } from './support.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startSite((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><body><h1>item ${req.url}</h1></body></html>`);
  });
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const pages = (base = 'https://example.com'): Collector => ({
  name: 'pages',
  variables: { n: { range: { from: 1, to: 25 } } },
  start: { urls: [`${base}/items/{{ n }}?d={{ date }}`] },
  extract: { fields: { title: 'h1' } },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
  output: 's3://lake/pages/{{ name }}',
});

async function receiveAll(sqs: SQSClient, url: string): Promise<TaskMessage[]> {
  const out: TaskMessage[] = [];
  for (let empty = 0; empty < 2; ) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (!res.Messages?.length) empty++;
    for (const m of res.Messages ?? []) out.push(JSON.parse(m.Body!) as TaskMessage);
  }
  return out;
}

/** An SQS client that counts the entries of each SendMessageBatch call it makes. */
function countingSqs(): { sqs: SQSClient; batches: number[] } {
  const sqs = motoClients(moto.endpoint).sqs;
  const batches: number[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand') batches.push((args.input as { Entries: unknown[] }).Entries.length);
      return next(args);
    },
    { step: 'initialize', name: uniqueName('count') },
  );
  return { sqs, batches };
}

describe('a scheduled start', () => {
  it('sends every seed as a hop-1 task, ten to a batch call; a retried start opens the run once and registers the same seeds once', async () => {
    const { sqs, batches } = countingSqs();
    const dep = await deploy({ ...aws, sqs }, [{ collector: pages(), hash: 'f'.repeat(64) }]);
    const event = { collector: 'pages', scheduledTime: '2024-03-10T23:30:00Z' };
    const first = await dep.handler(event, lambdaContext());
    expect(first).toEqual({
      collector: 'pages',
      runId: '20240310T233000Z',
      seeds: 25,
      output: `s3://${dep.bucket}/pages/pages`,
      opened: true,
    });
    // The retry finds the run open: it is not opened again, and the seeds it sends again are the
    // same tasks, which the ledger already counts (their deliveries settle through it).
    expect(await dep.handler(event, lambdaContext())).toEqual({ ...first, opened: false });
    expect(batches.sort()).toEqual([10, 10, 10, 10, 5, 5].sort());
    expect(await dep.ledger.get('pages', '20240310T233000Z')).toMatchObject({ state: 'running', seeds: 25, open: 25, done: 0 });

    const messages = await receiveAll(aws.sqs, dep.queues.pages!.url);
    expect(messages).toHaveLength(50);
    const byId = new Map<string, string[]>();
    for (const m of messages) byId.set(m.task.id, [...(byId.get(m.task.id) ?? []), JSON.stringify(m)]);
    expect(byId.size).toBe(25);
    for (const copies of byId.values()) expect(new Set(copies).size).toBe(1); // the retry sent identical messages
    expect(messages.every((m) => m.v === 1 && m.task.hop === 1 && m.task.runId === '20240310T233000Z')).toBe(true);
    expect(messages.map((m) => m.task.url)).toContain('https://example.com/items/25?d=2024-03-10');

    const keys = await listKeys(aws.s3, dep.bucket);
    expect(keys).toEqual(['pages/pages/dt=2024-03-10/run=20240310T233000Z/_run.json']);
    expect(await getJson(aws.s3, dep.bucket, keys[0]!)).toMatchObject({
      collector: 'pages',
      runId: '20240310T233000Z',
      seeds: 25,
      specHash: 'f'.repeat(64),
      scheduledTime: '2024-03-10T23:30:00Z',
    });
    await dep.handler.close();
  });

  it('sends nothing for a start repeated after the run ended', async () => {
    const { sqs, batches } = countingSqs();
    const dep = await deploy({ ...aws, sqs }, [{ collector: pages(site.url), hash: 'h' }]);
    const event = { collector: 'pages', scheduledTime: '2024-03-11T06:00:00Z' };
    try {
      expect(await dep.handler(event, lambdaContext())).toMatchObject({ seeds: 25, opened: true });
      await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.pages!.url,
        deadLetterQueueUrl: dep.queues.pages!.dlqUrl,
        handler: dep.handler,
        batchSize: 10,
      });
      const { run, manifest } = await runEnd(aws, dep, 'pages', '20240311T060000Z', 'pages/pages/dt=2024-03-11/run=20240311T060000Z/');
      expect(run).toMatchObject({ state: 'succeeded', open: 0, done: 25 });
      expect(manifest).toMatchObject({ status: 'succeeded', tasks: 25, records: 25 });
      const sent = batches.length;

      expect(await dep.handler(event, lambdaContext())).toMatchObject({ runId: '20240311T060000Z', seeds: 25, opened: false });
      expect(batches).toHaveLength(sent);
      expect(await queueDepth(aws.sqs, dep.queues.pages!.url)).toEqual({ visible: 0, inFlight: 0 });
      expect(await dep.ledger.get('pages', '20240311T060000Z')).toEqual(run);
    } finally {
      await dep.handler.close();
    }
  });

  it('refuses a start it cannot make the same on a retry, an unknown collector and an unknown event', async () => {
    const dep = await deploy(aws, [{ collector: pages(), hash: 'h' }]);
    // The error classes are the handler's own (not exported): they are told apart by name.
    await expect(dep.handler({ collector: 'pages' }, lambdaContext())).rejects.toMatchObject({
      name: 'StartEventError',
      message: expect.stringMatching(/needs "scheduledTime"/),
    });
    await expect(dep.handler({ collector: 'pages', scheduledTime: 'yesterday' }, lambdaContext())).rejects.toThrow(/not a date/);
    await expect(dep.handler({ collector: 'nope', scheduledTime: '2024-01-01T00:00:00Z' }, lambdaContext())).rejects.toThrow(
      UnknownCollectorError,
    );
    await expect(dep.handler({ hello: 1 }, lambdaContext())).rejects.toMatchObject({ name: 'UnknownEventError' });
    // A run id given by hand (a manual start) is used as it is.
    expect(await dep.handler({ collector: 'pages', runId: '20240102T030405Z-abc123' }, lambdaContext())).toMatchObject({
      runId: '20240102T030405Z-abc123',
      seeds: 25,
      opened: true,
    });
    await dep.handler.close();
  });

  it("fails the start loudly when the collector's task queue does not exist", async () => {
    // Queue URLs derive from the collector's name: a collector whose queue the deployment did not
    // create (COLLECT_QUEUE_URL_PREFIX pointing elsewhere here) makes the send fail, and with it the start.
    const real = await deploy(aws, [{ collector: pages(), hash: 'h' }]);
    await real.handler.close();
    const dep = await deploy(aws, [{ collector: pages(), hash: 'h' }], {
      queueUrlPrefix: `${real.queueUrlPrefix}${uniqueName('nowhere')}-`,
    });
    await expect(dep.handler({ collector: 'pages', scheduledTime: '2024-01-01T00:00:00Z' }, lambdaContext())).rejects.toThrow(
      /queue does not exist/i,
    );
    await dep.handler.close();
  });
});
