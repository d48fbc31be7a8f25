// What lives as long as a warm container: clients, the fetcher (its pools and
// per-host rate limits span invocations), the secret cache, compiled
// collectors, the ledger.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { S3Sink } from '../../adapters/aws/s3-sink.ts';
import { S3StateStore, stateLocation } from '../../adapters/aws/s3-state.ts';
import { SqsTaskQueue } from '../../adapters/aws/sqs-queue.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { IncrementalState } from '../../core/engine/incremental.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { RunLedger } from '../../core/ledger/ledger.ts';
import type { SecretResolver } from '../../core/secrets.ts';
import { taskQueueUrl } from '../../language/deployment-names.ts';
import type { CollectorRegistry } from './collectors.ts';
import type { Notifier } from './notify.ts';

export interface LambdaRuntime {
  registry: CollectorRegistry;
  s3: S3Client;
  sqs: SQSClient;
  ledger: RunLedger;
  /** Task queue URLs are this prefix and `<collector>-tasks`. */
  queueUrlPrefix: string;
  /** The shared dead-letter queue: messages from it record failed tasks. */
  deadLetterQueueArn: string | undefined;
  /** The deployment's bucket, in place of the one in each collector's output. */
  bucket: string | undefined;
  fetcher(): Fetcher;
  secrets: SecretResolver;
  logger: Logger;
  metrics: Metrics;
  notifier: Notifier;
  /** Deliveries before SQS moves a message to the dead-letter queue; the last one reports instead of retrying. */
  maxReceiveCount: number;
  /** A run without progress this long is stalled. */
  stalledAfterMs: number;
  /** Tasks of one batch in flight at once. */
  taskConcurrency: number;
  /** Time kept after a task's last page for its commit and its announcements. */
  reserveMs: number;
  /** Time a task needs before it may start; later tasks of the batch go back to SQS. */
  minStartMs: number;
  now(): Date;
}

export function queueFor(rt: LambdaRuntime, collector: string): SqsTaskQueue {
  return new SqsTaskQueue(rt.sqs, taskQueueUrl(rt.queueUrlPrefix, collector));
}

export function sinkFor(rt: LambdaRuntime, compiled: CompiledCollector): S3Sink {
  return new S3Sink(rt.s3, { specHash: compiled.hash });
}

export function incrementalFor(rt: LambdaRuntime, compiled: CompiledCollector, runId: string): IncrementalState | undefined {
  if (!compiled.spec.records.incremental) return undefined;
  const where = stateLocation(compiled.spec.output, compiled.spec.name);
  return new IncrementalState(new S3StateStore(rt.s3, rt.bucket ?? where.bucket, where.prefix), compiled.spec.name, runId);
}
