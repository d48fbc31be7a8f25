// An SQS batch: each message is one task. Tasks run a few at a time (the
// fetcher's per-host limits keep each site's load where its collector says);
// a task's records reach S3 before its message is acknowledged. The answer
// lists the messages SQS must deliver again:
//   - a task that failed with a retryable error (RetryableTaskError),
//   - a task that failed unexpectedly (S3 or SQS errors, bugs), logged as an error,
//   - a task not started because the invocation's time was running out,
//   - a message that is not a task (it ends in the DLQ, whose alarm tells).
// A permanent failure is not retried: it goes to the run's error report on S3
// (`_errors/<taskId>.json`) and the message is acknowledged.
import type { SqsTaskQueue } from '../../adapters/aws/sqs-queue.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { RetryableTaskError, errorMessage, errorName } from '../../core/engine/errors.ts';
import type { RunLocation } from '../../core/engine/ports.ts';
import { runTask, type TaskDraft } from '../../core/engine/run-task.ts';
import type { FailureReport } from '../../core/engine/stats.ts';
import type { Task, TaskMessage } from '../../core/engine/task.ts';
import { buildErrorReport, putErrorReport } from '../../core/output/error-report.ts';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './events.ts';
import { engineLogger } from './logging.ts';
import { addTaskStats, emptyTotals, type CollectorTotals } from './metrics.ts';
import { runLocation } from './run-location.ts';
import { incrementalFor, queueFor, sinkFor, type LambdaRuntime } from './runtime-context.ts';

export class InvalidTaskMessageError extends Error {
  override readonly name = 'InvalidTaskMessageError';
}

type Result =
  | { kind: 'done'; collector: string; outcome: TaskDraft; sent: number }
  | { kind: 'retry'; collector: string }
  | { kind: 'skipped'; collector: string }
  | { kind: 'error'; collector?: string };

interface BatchSummary {
  messages: number;
  done: number;
  /** Handed back to SQS after a retryable failure. */
  retried: number;
  /** Not started: too little time left. */
  deferred: number;
  /** Already done by an earlier delivery of the same message. */
  skipped: number;
  /** Unexpected errors and messages that are not tasks. */
  errors: number;
  pages: number;
  records: number;
  failures: number;
  bytes: number;
  /** Follow-up messages sent (fan-out and continuations). */
  sent: number;
}

export interface BatchResult {
  response: SqsBatchResponse;
  summary: BatchSummary;
  totals: Map<string, CollectorTotals>;
}

export function decodeTaskMessage(body: string): Task {
  let message: TaskMessage;
  try {
    message = JSON.parse(body) as TaskMessage;
  } catch {
    throw new InvalidTaskMessageError('the message body is not JSON');
  }
  const task = message?.task;
  if (message?.v !== 1 || typeof task !== 'object' || task === null)
    throw new InvalidTaskMessageError(`not a task message (v=${String(message?.v)})`);
  for (const field of ['id', 'runId', 'collector', 'url'] as const) {
    if (typeof task[field] !== 'string') throw new InvalidTaskMessageError(`task.${field} is missing`);
  }
  if (typeof task.hop !== 'number' || typeof task.page !== 'number') throw new InvalidTaskMessageError('task.hop or task.page is missing');
  return task;
}

export async function runTaskBatch(rt: LambdaRuntime, event: SqsEvent, context: LambdaContext): Promise<BatchResult> {
  const records = event.Records;
  const failed: string[] = [];
  const summary: BatchSummary = {
    messages: records.length,
    done: 0,
    retried: 0,
    deferred: 0,
    skipped: 0,
    errors: 0,
    pages: 0,
    records: 0,
    failures: 0,
    bytes: 0,
    sent: 0,
  };
  const totals = new Map<string, CollectorTotals>();
  const totalsOf = (collector: string) => {
    let t = totals.get(collector);
    if (!t) {
      t = emptyTotals();
      totals.set(collector, t);
    }
    return t;
  };

  let next = 0;
  let started = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++]!;
      // An invocation always starts its first task: it has its whole timeout then, and so makes progress.
      if (started > 0 && context.getRemainingTimeInMillis() < rt.minStartMs) {
        failed.push(record.messageId);
        summary.deferred++;
        continue;
      }
      started++;
      const result = await runRecord(rt, record, context);
      switch (result.kind) {
        case 'done': {
          const s = result.outcome.stats;
          summary.done++;
          summary.pages += s.pages;
          summary.records += s.records;
          summary.failures += s.failures;
          summary.bytes += s.bytes;
          summary.sent += result.sent;
          addTaskStats(totalsOf(result.collector), s);
          break;
        }
        case 'skipped':
          summary.skipped++;
          break;
        case 'retry':
          failed.push(record.messageId);
          summary.retried++;
          totalsOf(result.collector).tasksRetried++;
          break;
        case 'error':
          failed.push(record.messageId);
          summary.errors++;
          break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(rt.taskConcurrency, records.length)) }, worker));
  return { response: { batchItemFailures: failed.map((id) => ({ itemIdentifier: id })) }, summary, totals };
}

async function runRecord(rt: LambdaRuntime, record: SqsRecord, context: LambdaContext): Promise<Result> {
  const { logger, secrets } = rt;
  const redact = (text: string) => secrets.redact(text);
  let task: Task;
  try {
    task = decodeTaskMessage(record.body);
  } catch (err) {
    logger.error('message is not a task; it will reach the dead-letter queue', { messageId: record.messageId, error: errorMessage(err) });
    return { kind: 'error' };
  }
  const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount ?? '1') || 1);
  const finalAttempt = attempt >= rt.maxReceiveCount;
  const keys = { collector: task.collector, runId: task.runId, taskId: task.id };
  const log = engineLogger(logger, keys, redact);

  let compiled: CompiledCollector;
  let run: RunLocation;
  let queue: SqsTaskQueue;
  try {
    compiled = rt.registry.get(task.collector);
    run = runLocation(compiled, task.runId, rt.bucket);
    queue = queueFor(rt, task.collector);
  } catch (err) {
    log.error('task cannot run here; it will reach the dead-letter queue', { messageId: record.messageId, error: errorMessage(err) });
    return { kind: 'error', collector: task.collector };
  }
  const sink = sinkFor(rt, compiled);
  // A part on S3 means an earlier delivery finished this task, follow-ups included
  // (they are sent before the commit): running it again would only send the rest
  // of its chain a second time.
  try {
    if (await sink.hasPart?.(run, task.id)) {
      log.info('task already done by an earlier delivery; skipped', { attempt });
      return { kind: 'skipped', collector: task.collector };
    }
  } catch (err) {
    log.error("could not check for the task's part", { error: errorName(err), detail: redact(errorMessage(err)) });
    return { kind: 'error', collector: task.collector };
  }
  const seen = new Set<string>();
  const incremental = incrementalFor(rt, compiled, task.runId);

  try {
    const draft = await runTask(
      task,
      compiled,
      run,
      {
        fetcher: rt.fetcher(),
        secrets,
        sink,
        logger: log,
        ...(incremental ? { incremental } : {}),
        // Duplicates are dropped within a task only: a filter shared across tasks would
        // make a redelivered task write different records than its first delivery.
        seen: {
          add: (key: string) => {
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          },
        },
        remainingMs: () => context.getRemainingTimeInMillis(),
      },
      { reserveMs: rt.reserveMs, hopLimited: true, finalAttempt },
    );
    await queue.send(draft.followUps);
    const key = await draft.part.commit(draft.stats);
    if (draft.highMark !== null) await incremental?.raise(draft.highMark);
    const outcome = { ...draft, key, sent: draft.followUps };
    if (outcome.failures.length || outcome.warnings.length) {
      const failures = outcome.failures.map((f) => redactFailure(f, redact));
      await putErrorReport(sink, run, buildErrorReport(task, attempt, failures, outcome.warnings.map(redact), rt.now()));
      if (failures.length)
        log.warn('task had permanent failures; see the run error report', {
          failures: failures.length,
          first: failures[0]!.message,
          attempt,
        });
    }
    return { kind: 'done', collector: task.collector, outcome, sent: outcome.sent.length };
  } catch (err) {
    if (err instanceof RetryableTaskError) {
      log.warn('task will be retried', { attempt, url: redact(err.url), error: redact(err.message) });
      return { kind: 'retry', collector: task.collector };
    }
    log.error('task failed unexpectedly', { attempt, finalAttempt, error: errorName(err), detail: redact(errorMessage(err)) });
    if (finalAttempt) {
      // Its last delivery: say so in the run's error report before the message goes to the DLQ.
      const failure: FailureReport = {
        taskId: task.id,
        url: task.url,
        error: errorName(err),
        message: redact(errorMessage(err)),
        at: rt.now().toISOString(),
      };
      await putErrorReport(
        sink,
        run,
        buildErrorReport(
          task,
          attempt,
          [failure],
          ['the task failed on its last delivery; its message went to the dead-letter queue'],
          rt.now(),
        ),
      ).catch(() => undefined);
    }
    return { kind: 'error', collector: task.collector };
  }
}

function redactFailure(f: FailureReport, redact: (text: string) => string): FailureReport {
  return { ...f, url: redact(f.url), message: redact(f.message) };
}
