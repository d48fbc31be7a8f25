// A deployment on moto for the Lambda tests, made as the Terraform makes it
// (deploy/terraform: dead-letters.tf, ledger.tf, the generated collector
// files), under a unique name prefix: a bucket (COLLECT_BUCKET), the run
// ledger's table, the shared dead-letter queue, and one task queue per
// collector named by runtime/language/deployment-names.ts, redriving to the
// dead-letter queue after maxReceiveCount receives. The handler runs in this
// process, wired to them as the environment would wire the deployed one.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoLedger } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import { PowertoolsSsmResolver } from '../../runtime/adapters/aws/ssm-resolver.ts';
import type { RunRecord } from '../../runtime/core/ledger/ledger.ts';
import { MANIFEST_FILE } from '../../runtime/core/output/layout.ts';
import type { Manifest } from '../../runtime/core/output/manifest.ts';
import type { EmbeddedCollector } from '../../runtime/drivers/lambda/collectors.ts';
import type { LambdaContext } from '../../runtime/drivers/lambda/events.ts';
import { type CollectHandler, createHandler, type HandlerOptions } from '../../runtime/drivers/lambda/handler.ts';
import { awsNames } from '../../runtime/language/deployment-names.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { type AwsTestClients, createBucket, createLedgerTable, uniqueName } from '../helpers/moto.ts';

/** A collector's task queue, and the shared dead-letter queue it redrives to. */
interface TestQueue {
  url: string;
  dlqUrl: string;
}

export interface Deployment extends DeploymentResources {
  /** The same table as the handler's ledger, for the tests to read runs. */
  ledger: DynamoLedger;
  handler: CollectHandler;
}

/** A collector as a test writes it (defaults left out), with the hash of its source. */
export interface WrittenCollector {
  collector: Collector;
  hash: string;
}

/** What the Terraform creates for a deployment, on moto, named as it names them. */
export interface DeploymentResources {
  /** The name prefix of the deployment's queues (the function's name). */
  prefix: string;
  bucket: string;
  /** The ledger's table. */
  table: string;
  /** Task queue URLs are this and `<collector>-tasks` (COLLECT_QUEUE_URL_PREFIX). */
  queueUrlPrefix: string;
  /** The shared dead-letter queue (COLLECT_DEAD_LETTER_QUEUE_ARN). */
  deadLetterQueue: { url: string; arn: string };
  /** Each collector's task queue; `dlqUrl` is the shared dead-letter queue. */
  queues: Record<string, TestQueue>;
}

/**
 * A bucket, the ledger's table, the shared dead-letter queue and one task queue per collector
 * redriving to it after `maxReceiveCount` receives, under a unique name prefix.
 */
export async function createDeploymentResources(
  aws: AwsTestClients,
  collectors: string[],
  maxReceiveCount: number,
): Promise<DeploymentResources> {
  const prefix = uniqueName('fn');
  const bucket = await createBucket(aws.s3, 'collect-lake');
  const table = await createLedgerTable(aws.dynamodb);
  const dlqUrl = await createQueue(aws.sqs, `${prefix}-${awsNames.deadLetterQueue}`, {});
  const dlqArn = await queueArn(aws.sqs, dlqUrl);
  const queues: Record<string, TestQueue> = {};
  for (const name of collectors) {
    const url = await createQueue(aws.sqs, `${prefix}-${awsNames.tasksQueue(name)}`, {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
    });
    queues[name] = { url, dlqUrl };
  }
  // Moto's queue URL up to the collector's name: `<endpoint>/<account>/<prefix>-`.
  const queueUrlPrefix = dlqUrl.slice(0, dlqUrl.length - awsNames.deadLetterQueue.length);
  for (const [name, q] of Object.entries(queues)) {
    if (q.url !== `${queueUrlPrefix}${awsNames.tasksQueue(name)}`) throw new Error(`moto named queue ${q.url} unlike ${queueUrlPrefix}`);
  }
  return { prefix, bucket, table, queueUrlPrefix, deadLetterQueue: { url: dlqUrl, arn: dlqArn }, queues };
}

export async function deploy(
  aws: AwsTestClients,
  written: WrittenCollector[],
  options: Partial<HandlerOptions> & { maxReceiveCount?: number } = {},
): Promise<Deployment> {
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const collectors: EmbeddedCollector[] = written.map((c) => ({ collector: resolveCollector(c.collector), hash: c.hash }));
  const resources = await createDeploymentResources(
    aws,
    collectors.map((c) => c.collector.name),
    maxReceiveCount,
  );
  const ledger = new DynamoLedger(oneRequestAtATime(aws.dynamodb), { table: resources.table });
  const handler = createHandler({
    collectors,
    s3: aws.s3,
    sqs: aws.sqs,
    ledger,
    queueUrlPrefix: resources.queueUrlPrefix,
    deadLetterQueueArn: resources.deadLetterQueue.arn,
    ssm: new PowertoolsSsmResolver({ client: aws.ssm }),
    bucket: resources.bucket,
    allowPrivateNetwork: true,
    maxReceiveCount,
    ...options,
  });
  return { ...resources, ledger, handler };
}

const serialized = new WeakSet<DynamoDBClient>();

/**
 * Moto's DynamoDB serves concurrent requests without a lock: two updates of one item at the same
 * moment can lose an ADD (a run's `done` count one short), and a cancelled transaction restores its
 * whole table from a copy taken before it, undoing what other requests wrote meanwhile. DynamoDB
 * applies each request atomically. So this process sends its ledger requests to moto one at a
 * time: concurrent deliveries still interleave request by request, as they do on AWS.
 */
function oneRequestAtATime(client: DynamoDBClient): DynamoDBClient {
  if (serialized.has(client)) return client;
  serialized.add(client);
  let last: Promise<unknown> = Promise.resolve();
  client.middlewareStack.add(
    (next) => (args) => {
      const turn = last.then(() => next(args));
      last = turn.catch(() => undefined);
      return turn;
    },
    { step: 'initialize', name: 'oneRequestAtATime' },
  );
  return client;
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

/**
 * How a run ended: its entry in the ledger and the `_manifest.json` the function wrote under the
 * run's prefix (`<output prefix>/dt=…/run=…/`), if it did.
 */
export async function runEnd(
  aws: AwsTestClients,
  dep: Deployment,
  collector: string,
  runId: string,
  prefix: string,
): Promise<{ run: RunRecord | undefined; manifest: Manifest | undefined }> {
  const run = await dep.ledger.get(collector, runId);
  const key = `${prefix}${MANIFEST_FILE}`;
  const written = (await listKeys(aws.s3, dep.bucket, key)).includes(key);
  return { run, manifest: written ? await getJson<Manifest>(aws.s3, dep.bucket, key) : undefined };
}

/** The real books collector, pointed at a local copy of the site, without the politeness a real site needs. */
export async function booksCollector(siteUrl: string, over: Partial<Collector> = {}): Promise<WrittenCollector> {
  const { written: collector, hash } = await loadCollectorFile('collectors/books-toscrape.yaml');
  return {
    hash,
    collector: {
      ...collector,
      variables: { ...collector.variables, base_url: siteUrl },
      request: {
        ...collector.request,
        rateLimit: { perSecond: 2000, concurrency: 16 },
        retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 },
      },
      ...over,
    },
  };
}

/**
 * A Lambda context whose budget counts down from `budgetMs` (default 900 s, Lambda's longest:
 * a busy machine never runs a test out of budget unless the test means it to).
 */
export function lambdaContext(budgetMs = 900_000): LambdaContext {
  const ends = Date.now() + budgetMs;
  return { awsRequestId: randomUUID(), functionName: 'collect', getRemainingTimeInMillis: () => Math.max(0, ends - Date.now()) };
}

/**
 * Sets `_X_AMZN_TRACE_ID` as Lambda does for each invocation: Powertools buffers debug lines per
 * trace id, and without one it does not buffer at all. Returns a function that removes it again.
 */
export function lambdaTraceId(): () => void {
  process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=557abcec3ee5a047;Sampled=0`;
  return () => {
    delete process.env._X_AMZN_TRACE_ID;
  };
}

/** Captures what the process writes to stdout and stderr (Powertools logs: INFO and EMF to stdout, WARN and ERROR to stderr). */
export function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof stream.write;
  }
  return {
    text: () => chunks.join(''),
    restore: () => {
      streams.forEach((s, i) => {
        s.write = originals[i]!;
      });
    },
  };
}

/** JSON log lines (Powertools Logger) among captured output, EMF blobs left out. */
export function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => !('_aws' in l));
}
