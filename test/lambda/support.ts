// A deployment on moto for the Lambda tests: a bucket (COLLECT_BUCKET), one
// task queue with a DLQ per collector, and the handler wired to them.
import { randomUUID } from 'node:crypto';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import type { EmbeddedCollector } from '../../runtime/drivers/lambda/collectors.ts';
import { createHandler, type CollectHandler, type HandlerOptions } from '../../runtime/drivers/lambda/handler.ts';
import type { LambdaContext } from '../../runtime/drivers/lambda/events.ts';
import { PowertoolsSsmResolver } from '../../runtime/adapters/aws/ssm-resolver.ts';
import { createBucket, createTaskQueue, type AwsTestClients, type TestQueue } from '../helpers/moto.ts';

export interface Deployment {
  bucket: string;
  queues: Record<string, TestQueue>;
  handler: CollectHandler;
}

/** A collector as a test writes it (defaults left out), with the hash of its source. */
export interface WrittenCollector {
  collector: Collector;
  hash: string;
}

export async function deploy(
  aws: AwsTestClients,
  written: WrittenCollector[],
  options: Partial<HandlerOptions> & { maxReceiveCount?: number } = {},
): Promise<Deployment> {
  const bucket = await createBucket(aws.s3, 'collect-lake');
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const collectors: EmbeddedCollector[] = written.map((c) => ({ collector: resolveCollector(c.collector), hash: c.hash }));
  const queues: Record<string, TestQueue> = {};
  for (const c of collectors) queues[c.collector.name] = await createTaskQueue(aws.sqs, maxReceiveCount);
  const handler = createHandler({
    collectors,
    s3: aws.s3,
    sqs: aws.sqs,
    ssm: new PowertoolsSsmResolver({ client: aws.ssm }),
    queues: Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.url])),
    bucket,
    allowPrivateNetwork: true,
    maxReceiveCount,
    ...options,
  });
  return { bucket, queues, handler };
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
