// The AWS side of a deployment, on moto, driven the way AWS drives the function:
//   - the built bundle (npm run build, with the test's collectors embedded) runs
//     in child processes, one per execution environment (function-process.ts);
//   - each process reaches AWS through its own fault proxy (fault-proxy.ts);
//   - an event source mapping emulator polls every task queue and the shared
//     dead-letter queue: batches of up to batchSize messages, a visibility
//     timeout (a message not deleted comes back after it), receive counts,
//     moto's redrive to the dead-letter queue after maxReceiveCount receives,
//     partial batch failures (ReportBatchItemFailures), and maxConcurrency
//     pollers per queue.
// The bucket, the ledger table and the queues are named as the Terraform names
// them (runtime/language/deployment-names.ts), under a unique prefix.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { stringify } from 'yaml';
import { buildLambda } from '../../../deploy/build/build.ts';
import { DynamoLedger } from '../../../runtime/adapters/aws/dynamo-ledger.ts';
import type { RunRecord } from '../../../runtime/core/ledger/ledger.ts';
import { awsNames } from '../../../runtime/language/deployment-names.ts';
import type { Collector } from '../../../runtime/language/generated/collector.types.ts';
import { readAllRecords } from '../../aws/s3-read.ts';
import { type AwsTestClients, createBucket, createLedgerTable, MOTO_REGION, motoClients, uniqueName } from '../moto.ts';
import { FaultProxy, Faults } from './fault-proxy.ts';
import { FunctionProcess, type Invocation } from './function-process.ts';

const ACCOUNT = '123456789012';
const DEFAULT_TIMEOUT_MS = 6_000;

export interface DeploymentOptions {
  /** Moto's endpoint. */
  endpoint: string;
  /** The collectors, as written; their files are made and built into the bundle. */
  collectors: Collector[];
  /** The function's timeout: each invocation's budget. Default 6 s. */
  timeoutMs?: number;
  /**
   * The queues' visibility timeout: a failed or unfinished message comes back after it. Default the
   * timeout plus 3 s: longer than a crashed delivery's lease (its deadline plus a 2 s margin), as
   * AWS's six times the timeout is, without the wait.
   */
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  /** Pollers per task queue (the mapping's maximum concurrency). Default 2. */
  concurrency?: number;
  /** Messages per batch. Default: each collector's scaling.batchSize. */
  batchSize?: number;
  /** Extra environment of the function. */
  env?: Record<string, string>;
  /** Budgets of the task invocations, taken in turn (time left differs between deliveries). Default: the timeout. */
  budgets?: number[];
  /**
   * SQS delivering a task message twice: `after-success` sends a copy once the
   * original was processed; `concurrent` sends a copy the moment the original is
   * received, so another poller runs it at the same time.
   */
  duplicate?: 'after-success' | 'concurrent';
}

interface Environment {
  fn: FunctionProcess;
  proxy: FaultProxy;
  busy: boolean;
}

export interface Delivery {
  queue: string;
  messages: number;
  receiveCounts: number[];
  outcome: Invocation['kind'];
  failed: number;
}

export class Deployment {
  readonly faults = new Faults();
  readonly aws: AwsTestClients;
  readonly deliveries: Delivery[] = [];
  readonly ledger: DynamoLedger;
  private readonly processes: Environment[] = [];
  private readonly queueArns = new Map<string, string>();
  private readonly copied = new Set<string>();
  private budgetTurn = 0;

  private constructor(
    readonly options: DeploymentOptions,
    readonly prefix: string,
    readonly bucket: string,
    readonly table: string,
    readonly bundle: string,
    readonly deadLetterQueueUrl: string,
    readonly taskQueueUrls: Map<string, string>,
  ) {
    this.aws = motoClients(options.endpoint);
    this.ledger = new DynamoLedger(this.aws.dynamodb, { table });
  }

  static async create(options: DeploymentOptions): Promise<Deployment> {
    const aws = motoClients(options.endpoint);
    const prefix = uniqueName('fn');
    const bucket = await createBucket(aws.s3, 'lake');
    const table = await createLedgerTable(aws.dynamodb);
    const dlq = await createQueue(aws.sqs, `${prefix}-${awsNames.deadLetterQueue}`, {});
    const dlqArn = await arnOf(aws.sqs, dlq);
    const visibility = Math.ceil((options.visibilityTimeoutMs ?? (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 3_000) / 1000);
    const taskQueues = new Map<string, string>();
    for (const c of options.collectors) {
      const url = await createQueue(aws.sqs, `${prefix}-${awsNames.tasksQueue(c.name)}`, {
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      });
      taskQueues.set(c.name, url);
    }
    const bundle = await buildBundle(options.collectors);
    const d = new Deployment(options, prefix, bucket, table, bundle, dlq, taskQueues);
    d.queueArns.set(dlq, dlqArn);
    for (const url of taskQueues.values()) d.queueArns.set(url, await arnOf(aws.sqs, url));
    return d;
  }

  /** The function's environment, as the Terraform sets it, pointed at moto through a proxy. */
  private functionEnv(proxyUrl: string): Record<string, string> {
    const o = this.options;
    return {
      PATH: process.env.PATH ?? '',
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: proxyUrl,
      COLLECT_BUCKET: this.bucket,
      // The SQS client sends each call to its queue URL's host: the URLs name the proxy, so that SQS calls pass it too.
      COLLECT_QUEUE_URL_PREFIX: `${proxyUrl}/${ACCOUNT}/${this.prefix}-`,
      COLLECT_LEDGER_TABLE: this.table,
      COLLECT_DEAD_LETTER_QUEUE_ARN: this.queueArns.get(this.deadLetterQueueUrl)!,
      COLLECT_MAX_RECEIVE_COUNT: String(o.maxReceiveCount ?? 5),
      COLLECT_FUNCTION_TIMEOUT_SECONDS: String(Math.ceil((o.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)),
      POWERTOOLS_SERVICE_NAME: this.prefix,
      POWERTOOLS_METRICS_NAMESPACE: 'collect',
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
      ...o.env,
    };
  }

  /** An execution environment that is not busy (a new one when all are). */
  private async instance(): Promise<Environment> {
    const free = this.processes.find((p) => !p.busy);
    if (free) return free;
    const proxy = await new FaultProxy(this.options.endpoint, this.faults).start();
    const fn = new FunctionProcess(this.bundle, this.functionEnv(proxy.url));
    proxy.onCrash = () => fn.kill('crash');
    const entry: Environment = { fn, proxy, busy: false };
    this.processes.push(entry);
    return entry;
  }

  /** Invokes the function once (on a free environment) with a budget. */
  async invoke(event: unknown, budgetMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS): Promise<Invocation> {
    const entry = await this.instance();
    entry.busy = true;
    try {
      return await entry.fn.invoke(event, budgetMs);
    } finally {
      entry.busy = false;
    }
  }

  /** The scheduled start of a run: `scheduledTime` names the run. */
  start(collector: string, scheduledTime: string): Promise<Invocation> {
    return this.invoke({ collector, scheduledTime });
  }

  /** Sends a message to a collector's task queue, as a duplicate delivery would appear. */
  async sendRaw(collector: string, body: string): Promise<void> {
    await this.aws.sqs.send(new SendMessageCommand({ QueueUrl: this.taskQueueUrls.get(collector)!, MessageBody: body }));
  }

  /**
   * Runs the event source mappings until the run is over in the ledger and every
   * queue is empty; returns the run. Fails after `deadlineMs`.
   */
  async drain(collector: string, runId: string, deadlineMs = 240_000): Promise<RunRecord> {
    const until = Date.now() + deadlineMs;
    const queues = [
      ...this.options.collectors.map((c) => ({
        url: this.taskQueueUrls.get(c.name)!,
        batch: this.options.batchSize ?? c.scaling?.batchSize ?? 5,
      })),
      { url: this.deadLetterQueueUrl, batch: 10 },
    ];
    let done = false;
    const poll = async (url: string, batch: number) => {
      while (!done && Date.now() < until) {
        const got = await this.aws.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: batch,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            WaitTimeSeconds: 0,
          }),
        );
        const messages = got.Messages ?? [];
        if (messages.length === 0) {
          await sleep(100);
          continue;
        }
        await this.deliver(url, messages);
      }
    };
    const watch = async () => {
      while (Date.now() < until) {
        const run = await this.ledger.get(collector, runId);
        if (run && run.state !== 'running' && run.state !== 'stalled' && (await this.queuesEmpty())) {
          done = true;
          return run;
        }
        await sleep(200);
      }
      done = true;
      throw new Error(
        `run ${collector} ${runId} did not end within ${deadlineMs} ms: ${JSON.stringify(await this.ledger.get(collector, runId))}`,
      );
    };
    const pollers = queues.flatMap((q) => Array.from({ length: this.options.concurrency ?? 2 }, () => poll(q.url, q.batch)));
    const [run] = await Promise.all([watch(), ...pollers]);
    return run;
  }

  private async deliver(url: string, messages: Message[]): Promise<void> {
    const arn = this.queueArns.get(url)!;
    const isTasks = url !== this.deadLetterQueueUrl;
    if (isTasks && this.options.duplicate === 'concurrent') await this.copy(url, messages);
    const event = {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: { ...(m.Attributes ?? {}) },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: MOTO_REGION,
      })),
    };
    const budgets = this.options.budgets;
    const budget = isTasks && budgets?.length ? budgets[this.budgetTurn++ % budgets.length] : undefined;
    const outcome = await this.invoke(event, budget);
    const failed = new Set(
      outcome.kind === 'ok'
        ? ((outcome.result as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? []).map((f) => f.itemIdentifier)
        : messages.map((m) => m.MessageId!),
    );
    this.deliveries.push({
      queue: url,
      messages: messages.length,
      receiveCounts: messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? 0)),
      outcome: outcome.kind,
      failed: failed.size,
    });
    const ok = messages.filter((m) => !failed.has(m.MessageId!));
    // What the mapping does: delete what succeeded; the rest comes back after the visibility timeout.
    if (ok.length)
      await this.aws.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: ok.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
      );
    if (isTasks && this.options.duplicate === 'after-success') await this.copy(url, ok);
  }

  /** One copy of each message (the first time it is seen): SQS's at-least-once delivery. */
  private async copy(url: string, messages: Message[]): Promise<void> {
    for (const m of messages) {
      const body = m.Body ?? '';
      if (this.copied.has(body)) continue;
      this.copied.add(body);
      await this.aws.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    }
  }

  private async queuesEmpty(): Promise<boolean> {
    for (const url of [...this.taskQueueUrls.values(), this.deadLetterQueueUrl]) {
      const res = await this.aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      if (Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) > 0)
        return false;
    }
    return true;
  }

  records(): Promise<Record<string, unknown>[]> {
    return readAllRecords(this.aws.s3, this.bucket);
  }

  /** The function's log lines, across every environment. */
  log(): string {
    return this.processes.map((p) => p.fn.log).join('');
  }

  coldStarts(): number {
    return this.processes.reduce((n, p) => n + p.fn.coldStarts, 0);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.processes.map(async (p) => {
        await p.fn.close();
        await p.proxy.stop();
      }),
    );
  }
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

/** `npm run build` of the test's collectors, into a folder of its own. */
async function buildBundle(collectors: Collector[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'collect-bundle-'));
  mkdirSync(join(dir, 'collectors'));
  for (const c of collectors) writeFileSync(join(dir, 'collectors', `${c.name}.yaml`), stringify(c));
  const built = await buildLambda({ cwd: process.cwd(), collectors: [join(dir, 'collectors')], outDir: join(dir, 'dist'), measure: false });
  return built.bundle;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
