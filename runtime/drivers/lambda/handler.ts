// The one function of every collector. `createHandler` takes its parts (tests
// inject clients, collectors and a fetcher); `index.ts` builds the deployed one
// from the embedded collectors and the environment.
//
//   scheduler event {"collector", "scheduledTime"} -> start a run: seeds to the collector's queue
//   SQS event (tasks)                              -> run them; {"batchItemFailures": [...]}
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage, errorName } from '../../core/engine/errors.ts';
import { HttpFetcher } from '../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import { SecretResolver, type SsmResolver } from '../../core/secrets.ts';
import { CollectorRegistry, type EmbeddedCollector } from './collectors.ts';
import { isSchedulerEvent, isSqsEvent, type LambdaContext, type SqsBatchResponse } from './events.ts';
import { createLambdaLogger, summaryLogger } from './logging.ts';
import { createLambdaMetrics, publishMetrics } from './metrics.ts';
import type { LambdaRuntime } from './runtime-context.ts';
import { startRun, type RunStarted } from './start-run.ts';
import { runTaskBatch } from './task-batch.ts';
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';

export interface HandlerOptions {
  collectors: readonly EmbeddedCollector[];
  s3: S3Client;
  sqs: SQSClient;
  /** For `${ssm:/path}` (a PowertoolsSsmResolver); without it such references fail. */
  ssm?: SsmResolver;
  /** Collector name -> task queue URL (COLLECT_QUEUES). */
  queues: Readonly<Record<string, string>>;
  /** The deployment's bucket (COLLECT_BUCKET); default: the bucket of each collector's output. */
  bucket?: string;
  fetcherFactory?: () => Fetcher;
  now?: () => Date;
  /** Environment for `${env:NAME}` and the POWERTOOLS_* settings. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  metrics?: Metrics;
  /** The queues' maxReceiveCount. Default 5. */
  maxReceiveCount?: number;
  /** Tasks of a batch in flight at once. Default 10. */
  taskConcurrency?: number;
  /** Time kept after a task's last page. Default 5 s. */
  reserveMs?: number;
  /** Time left that a task needs to start. Default 15 s. */
  minStartMs?: number;
  /** Loopback and private addresses allowed (local test sites only). */
  allowPrivateNetwork?: boolean;
}

export type CollectHandler = ((event: unknown, context: LambdaContext) => Promise<SqsBatchResponse | RunStarted>) & {
  /** Closes the fetcher's connections (tests; a Lambda container is simply frozen). */
  close(): Promise<void>;
};

export class UnknownEventError extends Error {
  override readonly name = 'UnknownEventError';
}

export function createHandler(options: HandlerOptions): CollectHandler {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLambdaLogger(env);
  let fetcher: Fetcher | undefined;
  const rt: LambdaRuntime = {
    registry: new CollectorRegistry(options.collectors, { allowPrivateNetwork: options.allowPrivateNetwork ?? false }),
    s3: options.s3,
    sqs: options.sqs,
    queues: options.queues,
    bucket: options.bucket,
    fetcher: () => (fetcher ??= options.fetcherFactory?.() ?? new HttpFetcher()),
    secrets: new SecretResolver(env, options.ssm),
    logger,
    summary: summaryLogger(logger),
    metrics: options.metrics ?? createLambdaMetrics(env),
    maxReceiveCount: options.maxReceiveCount ?? DEPLOYMENT_DEFAULTS.queue.maxReceiveCount,
    taskConcurrency: options.taskConcurrency ?? 10,
    reserveMs: options.reserveMs ?? 5_000,
    minStartMs: options.minStartMs ?? 15_000,
    now: options.now ?? (() => new Date()),
  };

  const handler = async (event: unknown, context: LambdaContext): Promise<SqsBatchResponse | RunStarted> => {
    const started = Date.now();
    logger.refreshSampleRateCalculation();
    logger.appendKeys({ requestId: context.awsRequestId });
    try {
      if (isSqsEvent(event)) {
        const { response, summary, totals } = await runTaskBatch(rt, event, context);
        publishMetrics(rt.metrics, totals);
        const collectors = [...totals.keys()];
        rt.summary?.info('invocation', {
          requestId: context.awsRequestId,
          kind: 'tasks',
          ...(collectors.length === 1 ? { collector: collectors[0] } : { collectors }),
          ...summary,
          ms: Date.now() - started,
        });
        return response;
      }
      if (isSchedulerEvent(event)) {
        const result = await startRun(rt, event);
        rt.summary?.info('invocation', {
          requestId: context.awsRequestId,
          kind: 'start',
          collector: result.collector,
          runId: result.runId,
          seeds: result.seeds,
          ms: Date.now() - started,
        });
        return result;
      }
      throw new UnknownEventError('the event is neither a scheduler start ({"collector", "scheduledTime"}) nor an SQS batch');
    } catch (err) {
      // An error here fails the whole invocation: the scheduler (or SQS, for the whole batch) tries again.
      logger.error('invocation failed', { error: errorName(err), detail: rt.secrets.redact(errorMessage(err)) });
      throw err;
    } finally {
      logger.clearBuffer();
      logger.resetKeys();
    }
  };
  return Object.assign(handler, {
    close: async () => {
      await fetcher?.close();
      fetcher = undefined;
    },
  });
}
