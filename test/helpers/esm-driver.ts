// Drives a real (moto) SQS queue the way Lambda's event source mapping does:
// receive up to `batchSize` messages with their ApproximateReceiveCount, invoke
// the handler with an SQS event and a Lambda context with a time budget, delete
// the messages it did not list in batchItemFailures (all of them when it threw:
// the whole batch then comes back), and let the rest reappear. The queue's own
// redrive policy moves a message to the DLQ after maxReceiveCount receives.
// Several pollers run at once, like the mapping's maximum concurrency.
//
// With `deadLetterQueueUrl`, the dead-letter queue is drained into the same
// handler too, as its own event source mapping does on AWS: its records carry
// the dead-letter queue's ARN, so the handler records those tasks as failed (a
// run ends only once its dead letters are recorded). The drain ends when both
// queues are empty.
//
// One shortcut: a failed message is made visible again at once
// (ChangeMessageVisibility 0) rather than after the visibility timeout, which
// is what the mapping's wait amounts to, minus the wait.
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from '../../runtime/drivers/lambda/events.ts';

type SqsHandler = (event: SqsEvent, context: LambdaContext) => Promise<unknown>;

export interface DriveOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsHandler;
  batchSize: number;
  /** Also drain this queue (the shared dead-letter queue) into the handler, ten messages a batch. */
  deadLetterQueueUrl?: string;
  /** Pollers at once (the mapping's maximum concurrency). Default 2. */
  concurrency?: number;
  /**
   * The function's timeout: getRemainingTimeInMillis counts down from it. Default 900 s (Lambda's
   * longest), so that only a test that sets a small budget on purpose ever runs out of it, however
   * busy the machine.
   */
  timeoutMs?: number;
  /** How long a received message stays invisible while the handler runs. Default 300 s, so a slow handler is not redelivered behind its back. */
  visibilityTimeoutSeconds?: number;
  /**
   * Give up (and fail) when the queue is not drained after this long. Default 240 s (under the integration
   * project's 300 s test timeout): an upper bound on waiting, which only makes a slow pass slower.
   */
  deadlineMs?: number;
}

interface Invocation {
  messageIds: string[];
  receiveCounts: number[];
  failed: string[];
  threw: boolean;
  bodies: string[];
}

export interface DriveReport {
  /** The task queue's invocations. */
  invocations: Invocation[];
  /** Every message body received from the task queue, in order (one entry per receive). */
  received: string[];
  /** The dead-letter queue's invocations (with `deadLetterQueueUrl`). */
  deadLetters: Invocation[];
}

class QueueNotDrainedError extends Error {
  override readonly name = 'QueueNotDrainedError';
}

const DEADLINE_MS = 240_000;

export async function drainQueue(options: DriveOptions): Promise<DriveReport> {
  const { sqs, queueUrl } = options;
  const deadline = Date.now() + (options.deadlineMs ?? DEADLINE_MS);
  const report: DriveReport = { invocations: [], received: [], deadLetters: [] };
  const sources: Source[] = [
    { url: queueUrl, arn: await queueArn(sqs, queueUrl), batchSize: options.batchSize, log: report.invocations, received: report.received },
  ];
  if (options.deadLetterQueueUrl) {
    const url = options.deadLetterQueueUrl;
    sources.push({ url, arn: await queueArn(sqs, url), batchSize: DEAD_LETTER_BATCH, log: report.deadLetters });
  }
  const allEmpty = async () => (await Promise.all(sources.map((s) => isEmpty(sqs, s.url)))).every(Boolean);
  let idle = 0;
  const poller = async (source: Source) => {
    while (Date.now() < deadline) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: source.url,
          MaxNumberOfMessages: source.batchSize,
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          WaitTimeSeconds: 0,
        }),
      );
      const messages = got.Messages ?? [];
      if (messages.length === 0) {
        if (await allEmpty()) {
          if (++idle >= 2) return;
        }
        await sleep(50);
        continue;
      }
      idle = 0;
      await invoke(options, source, messages);
    }
  };
  const concurrency = options.concurrency ?? 2;
  // The dead-letter queue's mapping runs at most two at a time (deploy/terraform/dead-letters.tf).
  await Promise.all(sources.flatMap((s, i) => Array.from({ length: i === 0 ? concurrency : Math.min(concurrency, 2) }, () => poller(s))));
  for (const s of sources) {
    if (!(await isEmpty(sqs, s.url)))
      throw new QueueNotDrainedError(`${s.url} still holds messages after ${options.deadlineMs ?? DEADLINE_MS} ms`);
  }
  return report;
}

/** The dead-letter queue's event source mapping takes ten messages a batch (deploy/terraform/dead-letters.tf). */
const DEAD_LETTER_BATCH = 10;

interface Source {
  url: string;
  arn: string;
  batchSize: number;
  log: Invocation[];
  received?: string[];
}

async function invoke(options: DriveOptions, source: Source, messages: Message[]): Promise<void> {
  const { sqs } = options;
  const queueUrl = source.url;
  const event: SqsEvent = { Records: messages.map((m) => toRecord(m, source.arn)) };
  const ends = Date.now() + (options.timeoutMs ?? 900_000);
  const context: LambdaContext = {
    awsRequestId: randomUUID(),
    functionName: 'collect',
    getRemainingTimeInMillis: () => Math.max(0, ends - Date.now()),
  };
  source.received?.push(...messages.map((m) => m.Body ?? ''));
  let failed: string[];
  let threw = false;
  try {
    const response = (await options.handler(event, context)) as SqsBatchResponse;
    failed = response.batchItemFailures.map((f) => f.itemIdentifier);
  } catch {
    threw = true;
    failed = messages.map((m) => m.MessageId!);
  }
  source.log.push({
    messageIds: messages.map((m) => m.MessageId!),
    receiveCounts: messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? 0)),
    failed,
    threw,
    bodies: messages.map((m) => m.Body ?? ''),
  });
  const failedSet = new Set(failed);
  const ok = messages.filter((m) => !failedSet.has(m.MessageId!));
  const back = messages.filter((m) => failedSet.has(m.MessageId!));
  if (ok.length) {
    await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ok.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
    );
  }
  if (back.length) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: back.map((m, i) => ({ Id: `v${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

function toRecord(m: Message, arn: string): SqsRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: { ...(m.Attributes ?? {}) },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'us-east-1',
  };
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return res.Attributes?.QueueArn ?? 'arn:aws:sqs:us-east-1:123456789012:unknown';
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const res = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(res.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function isEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const d = await queueDepth(sqs, queueUrl);
  return d.visible === 0 && d.inFlight === 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
