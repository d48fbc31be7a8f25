import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient, type SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { QueueSendError, SqsTaskQueue } from '../../runtime/adapters/aws/sqs-queue.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';

let moto: Moto;
let aws: AwsTestClients;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
});
afterAll(() => moto?.stop());

const task = (n: number, over: Partial<Task> = {}): Task => ({
  id: `t${n}`,
  runId: '20240101T000000Z',
  collector: 'c',
  url: `https://example.com/${n}`,
  vars: {},
  page: 1,
  hop: 1,
  itemsSeen: 0,
  recent: [],
  ...over,
});

async function newQueue(): Promise<string> {
  return (await aws.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))).QueueUrl!;
}

async function receiveAll(sqs: SQSClient, url: string): Promise<Task[]> {
  const out: Task[] = [];
  for (let empty = 0; empty < 2; ) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (!res.Messages?.length) empty++;
    for (const m of res.Messages ?? []) out.push((JSON.parse(m.Body!) as TaskMessage).task);
  }
  return out;
}

/** Counts SendMessageBatch calls; `refuse` makes SQS "fail" the given entry positions of the first call. */
function interceptBatches(sqs: SQSClient, refuse?: { count: number; senderFault: boolean }): { calls: number[] } {
  const seen = { calls: [] as number[] };
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendMessageBatchCommand') return next(args);
      const input = args.input as { Entries: { Id: string }[] };
      seen.calls.push(input.Entries.length);
      if (!refuse || seen.calls.length > 1) return next(args);
      const dropped = input.Entries.slice(0, refuse.count);
      input.Entries = input.Entries.slice(refuse.count);
      const result = await next(args);
      const output = result.output as SendMessageBatchCommandOutput;
      output.Failed = dropped.map((e) => ({
        Id: e.Id,
        Code: refuse.senderFault ? 'InvalidParameterValue' : 'InternalError',
        SenderFault: refuse.senderFault,
      }));
      return result;
    },
    { step: 'initialize', name: uniqueName('intercept') },
  );
  return seen;
}

describe('SqsTaskQueue', () => {
  it('sends tasks ten to a SendMessageBatch call, as versioned task messages', async () => {
    const url = await newQueue();
    const { sqs } = motoClients(moto.endpoint);
    const seen = interceptBatches(sqs);
    const queue = new SqsTaskQueue(sqs, url);
    await queue.send(Array.from({ length: 25 }, (_, i) => task(i)));
    expect(seen.calls.sort()).toEqual([10, 10, 5].sort());
    expect(queue.sent).toBe(25);
    const got = await receiveAll(aws.sqs, url);
    expect(got.map((t) => t.id).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `t${i}`).sort());
    expect(got[0]).toMatchObject({ runId: '20240101T000000Z', hop: 1 });
  });

  it('sends again the entries SQS did not take', async () => {
    const url = await newQueue();
    const { sqs } = motoClients(moto.endpoint);
    const seen = interceptBatches(sqs, { count: 3, senderFault: false });
    await new SqsTaskQueue(sqs, url, { baseDelayMs: 1 }).send(Array.from({ length: 10 }, (_, i) => task(i)));
    expect(seen.calls).toEqual([10, 3]);
    expect((await receiveAll(aws.sqs, url)).length).toBe(10);
  });

  it('throws when SQS refuses a message for good, so the work is retried rather than lost', async () => {
    const url = await newQueue();
    const { sqs } = motoClients(moto.endpoint);
    interceptBatches(sqs, { count: 1, senderFault: true });
    await expect(new SqsTaskQueue(sqs, url).send([task(1), task(2)])).rejects.toThrow(QueueSendError);
  });

  it('refuses a message larger than SQS allows before sending anything', async () => {
    const url = await newQueue();
    const big = task(1, { vars: { blob: 'x'.repeat(300 * 1024) } });
    await expect(new SqsTaskQueue(aws.sqs, url).send([big])).rejects.toThrow(/larger than SQS allows/);
  });
});
