// What lives as long as a warm container: clients, the fetcher (its pools and
// per-host rate limits span invocations), the secret cache, compiled collectors.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { IncrementalState } from '../../core/engine/incremental.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { SecretResolver } from '../../core/secrets.ts';
import { S3Sink } from '../../adapters/aws/s3-sink.ts';
import { S3StateStore, stateLocation } from '../../adapters/aws/s3-state.ts';
import { SqsTaskQueue } from '../../adapters/aws/sqs-queue.ts';
import type { CollectorRegistry } from './collectors.ts';
import { LambdaConfigError } from './config.ts';

export interface LambdaRuntime {
  registry: CollectorRegistry;
  s3: S3Client;
  sqs: SQSClient;
  /** Collector name -> task queue URL. */
  queues: Readonly<Record<string, string>>;
  /** The deployment's bucket, in place of the one in each collector's output. */
  bucket: string | undefined;
  fetcher(): Fetcher;
  secrets: SecretResolver;
  logger: Logger;
  /** Where the INFO summary of each invocation goes; undefined when the level asks for silence. */
  summary: Logger | undefined;
  metrics: Metrics;
  /** Deliveries before SQS moves a message to the DLQ; the last one reports instead of retrying. */
  maxReceiveCount: number;
  /** Tasks of one batch in flight at once. */
  taskConcurrency: number;
  /** Time kept after a task's last page for its PUT and its continuation. */
  reserveMs: number;
  /** Time a task needs before it may start; later tasks of the batch go back to SQS. */
  minStartMs: number;
  now(): Date;
}

export function queueFor(rt: LambdaRuntime, collector: string): SqsTaskQueue {
  const url = rt.queues[collector];
  if (!url) throw new LambdaConfigError(`COLLECT_QUEUES has no queue for collector "${collector}"`);
  return new SqsTaskQueue(rt.sqs, url);
}

export function sinkFor(rt: LambdaRuntime, compiled: CompiledCollector): S3Sink {
  return new S3Sink(rt.s3, { specHash: compiled.hash });
}

export function incrementalFor(rt: LambdaRuntime, compiled: CompiledCollector, runId: string): IncrementalState | undefined {
  if (!compiled.spec.records?.incremental) return undefined;
  const where = stateLocation(compiled.spec.output, compiled.spec.name);
  return new IncrementalState(new S3StateStore(rt.s3, rt.bucket ?? where.bucket, where.prefix), compiled.spec.name, runId);
}
