// The scheduled start: the run id comes from the scheduled time, so a retried
// invocation is the same run with the same seed tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { UnknownCollectorError } from '../../runtime/drivers/lambda/collectors.ts';
import { UnknownEventError } from '../../runtime/drivers/lambda/handler.ts';
import { StartEventError } from '../../runtime/drivers/lambda/start-run.ts';
import type { TaskMessage } from '../../runtime/core/engine/task.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { deploy, lambdaContext } from './support.ts';

let moto: Moto;
let aws: AwsTestClients;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
});
afterAll(() => moto?.stop());

const pages = (): Collector => ({
  name: 'pages',
  variables: { n: { range: { from: 1, to: 25 } } },
  start: { urls: ['https://example.com/items/{{ n }}?d={{ date }}'] },
  extract: { fields: { title: 'h1' } },
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

describe('a scheduled start', () => {
  it('sends every seed as a hop-1 task, ten to a batch call, and a retried start sends the same tasks', async () => {
    const sqs = motoClients(moto.endpoint).sqs;
    const batches: number[] = [];
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand') batches.push((args.input as { Entries: unknown[] }).Entries.length);
        return next(args);
      },
      { step: 'initialize', name: uniqueName('count') },
    );
    const dep = await deploy({ ...aws, sqs }, [{ collector: pages(), hash: 'f'.repeat(64) }]);
    const event = { collector: 'pages', scheduledTime: '2024-03-10T23:30:00Z' };
    const first = await dep.handler(event, lambdaContext());
    expect(first).toEqual({ collector: 'pages', runId: '20240310T233000Z', seeds: 25, output: `s3://${dep.bucket}/pages/pages` });
    expect(await dep.handler(event, lambdaContext())).toEqual(first);
    expect(batches.sort()).toEqual([10, 10, 10, 10, 5, 5].sort());

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

  it('refuses a start it cannot make the same on a retry, an unknown collector and an unknown event', async () => {
    const dep = await deploy(aws, [{ collector: pages(), hash: 'h' }]);
    await expect(dep.handler({ collector: 'pages' }, lambdaContext())).rejects.toThrow(StartEventError);
    await expect(dep.handler({ collector: 'pages', scheduledTime: 'yesterday' }, lambdaContext())).rejects.toThrow(/not a date/);
    await expect(dep.handler({ collector: 'nope', scheduledTime: '2024-01-01T00:00:00Z' }, lambdaContext())).rejects.toThrow(
      UnknownCollectorError,
    );
    await expect(dep.handler({ hello: 1 }, lambdaContext())).rejects.toThrow(UnknownEventError);
    // A run id given by hand (a manual start) is used as it is.
    expect(await dep.handler({ collector: 'pages', runId: '20240102T030405Z-abc123' }, lambdaContext())).toMatchObject({
      runId: '20240102T030405Z-abc123',
      seeds: 25,
    });
    await dep.handler.close();
  });

  it('fails the start when the collector has no queue in COLLECT_QUEUES', async () => {
    const dep = await deploy(aws, [{ collector: pages(), hash: 'h' }], { queues: {} });
    await expect(dep.handler({ collector: 'pages', scheduledTime: '2024-01-01T00:00:00Z' }, lambdaContext())).rejects.toThrow(
      /COLLECT_QUEUES has no queue for collector "pages"/,
    );
    await dep.handler.close();
  });
});
