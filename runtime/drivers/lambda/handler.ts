// The one function of every collector. `createHandler` takes its parts (tests
// inject clients, collectors and a fetcher); `index.ts` builds the deployed one
// from the embedded collectors and the environment.
//
//   {"collector", "scheduledTime"}    a scheduled start: open the run in the ledger, seeds to its queue
//   SQS batch from a task queue       run the tasks; {"batchItemFailures": [...]}
//   SQS batch from the dead letters   record those tasks as failed, so their runs end
//   {"sweep": true}                   mark runs that stopped moving as stalled
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage, errorName } from '../../core/engine/errors.ts';
import { HttpFetcher } from '../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { RunLedger } from '../../core/ledger/ledger.ts';
import { SecretResolver, type SsmResolver } from '../../core/secrets.ts';
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';
import { CollectorRegistry, type CollectorSource, type EmbeddedCollector } from './collectors.ts';
import { consumeDeadLetters } from './dead-letters.ts';
import { isFromQueue, isSchedulerEvent, isSqsEvent, isSweepEvent, type LambdaContext, type SqsBatchResponse } from './events.ts';
import { createLambdaLogger } from './logging.ts';
import { createLambdaMetrics, publishMetrics } from './metrics.ts';
import { silentNotifier, type Notifier } from './notify.ts';
import type { LambdaRuntime } from './runtime-context.ts';
import { startRun, type RunStarted } from './start-run.ts';
import { sweepStalledRuns, type SweepResult } from './sweep.ts';
import { runTaskBatch } from './task-batch.ts';

const SAMPLED_LEVELS: ReadonlySet<string> = new Set(['DEBUG', 'TRACE']);

export interface HandlerOptions {
  /** A list (tests), or the files beside the bundle, read by name on first use. */
  collectors: CollectorSource | readonly EmbeddedCollector[];
  s3: S3Client;
  sqs: SQSClient;
  ledger: RunLedger;
  /** Task queue URLs are this and `<collector>-tasks` (COLLECT_QUEUE_URL_PREFIX). */
  queueUrlPrefix: string;
  /** The shared dead-letter queue (COLLECT_DEAD_LETTER_QUEUE_ARN): its batches record failed tasks. */
  deadLetterQueueArn?: string;
  /** For `${ssm:/path}` (a PowertoolsSsmResolver); without it such references fail. */
  ssm?: SsmResolver;
  /** The deployment's bucket (COLLECT_BUCKET); default: the bucket of each collector's output. */
  bucket?: string;
  notifier?: Notifier;
  fetcherFactory?: () => Fetcher;
  now?: () => Date;
  /** Environment for `${env:NAME}` and the POWERTOOLS_* settings. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  metrics?: Metrics;
  /** The queues' maxReceiveCount. Default from the project schema. */
  maxReceiveCount?: number;
  /** A run without progress this long is stalled. Default from the project schema. */
  stalledAfterMs?: number;
  /** Tasks of a batch in flight at once. Default 10. */
  taskConcurrency?: number;
  /** Time kept after a task's last page. Default 5 s. */
  reserveMs?: number;
  /** Time left that a task needs to start. Default 15 s. */
  minStartMs?: number;
  /** Loopback and private addresses allowed (local test sites only). */
  allowPrivateNetwork?: boolean;
}

export type CollectHandler = ((event: unknown, context: LambdaContext) => Promise<SqsBatchResponse | RunStarted | SweepResult>) & {
  /** Closes the fetcher's connections (tests; a Lambda container is simply frozen). */
  close(): Promise<void>;
};

class UnknownEventError extends Error {
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
    ledger: options.ledger,
    queueUrlPrefix: options.queueUrlPrefix,
    deadLetterQueueArn: options.deadLetterQueueArn,
    bucket: options.bucket,
    fetcher: () => {
      fetcher ??= options.fetcherFactory?.() ?? new HttpFetcher();
      return fetcher;
    },
    secrets: new SecretResolver(env, options.ssm),
    logger,
    metrics: options.metrics ?? createLambdaMetrics(env),
    notifier: options.notifier ?? silentNotifier,
    maxReceiveCount: options.maxReceiveCount ?? DEPLOYMENT_DEFAULTS.queue.maxReceiveCount,
    stalledAfterMs: options.stalledAfterMs ?? DEPLOYMENT_DEFAULTS.runs.stalledAfterMinutes * 60_000,
    taskConcurrency: options.taskConcurrency ?? 10,
    reserveMs: options.reserveMs ?? 5_000,
    minStartMs: options.minStartMs ?? 15_000,
    now: options.now ?? (() => new Date()),
  };

  const handler = async (event: unknown, context: LambdaContext): Promise<SqsBatchResponse | RunStarted | SweepResult> => {
    const started = Date.now();
    logger.refreshSampleRateCalculation();
    logger.appendKeys({ requestId: context.awsRequestId });
    const summary = (kind: string, fields: Record<string, unknown>) =>
      logger.info('invocation', { kind, ...fields, ms: Date.now() - started });
    try {
      if (isSqsEvent(event) && isFromQueue(event, rt.deadLetterQueueArn)) {
        const { response, summary: counts } = await consumeDeadLetters(rt, event);
        summary('dead-letters', { ...counts });
        return response;
      }
      if (isSqsEvent(event)) {
        const { response, summary: counts, totals } = await runTaskBatch(rt, event, context);
        publishMetrics(rt.metrics, totals);
        const collectors = [...totals.keys()];
        summary('tasks', { ...(collectors.length === 1 ? { collector: collectors[0] } : { collectors }), ...counts });
        return response;
      }
      if (isSweepEvent(event)) {
        const result = await sweepStalledRuns(rt);
        summary('sweep', { stalled: result.stalled.length });
        return result;
      }
      if (isSchedulerEvent(event)) {
        const result = await startRun(rt, event);
        summary('start', { collector: result.collector, runId: result.runId, seeds: result.seeds, opened: result.opened });
        return result;
      }
      throw new UnknownEventError(
        'the event is neither a scheduler start ({"collector", "scheduledTime"}), a sweep ({"sweep": true}) nor an SQS batch',
      );
    } catch (err) {
      // An error here fails the whole invocation: the scheduler (or SQS, for the whole batch) tries again.
      logger.error('invocation failed', { error: errorName(err), detail: rt.secrets.redact(errorMessage(err)) });
      throw err;
    } finally {
      // A sampled invocation (POWERTOOLS_LOGGER_SAMPLE_RATE) runs at DEBUG, but Powertools still buffered its debug lines.
      if (SAMPLED_LEVELS.has(logger.getLevelName())) logger.flushBuffer();
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
