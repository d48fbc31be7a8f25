// An SQS batch: each message is one task (drivers/lambda/task-delivery.ts).
// Tasks run a few at a time; the fetcher's per-host limits keep each site's
// load where its collector says. The answer lists the messages SQS must
// deliver again: a task that will be retried, one another delivery is running
// (back off), one that failed unexpectedly, and one not started because the
// invocation's time was running out. A message that is not a task is logged
// and reaches the dead-letter queue.
import { errorMessage, errorName } from '../../core/engine/errors.ts';
import type { Task } from '../../core/engine/task.ts';
import { decodeTaskMessage } from '../../core/engine/task-message.ts';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './events.ts';
import { addTaskStats, emptyTotals, type CollectorTotals } from './metrics.ts';
import type { LambdaRuntime } from './runtime-context.ts';
import { InvocationFetchers } from './invocation-fetchers.ts';
import { deliverTask, reportLastDelivery, type Delivery } from './task-delivery.ts';

interface BatchSummary {
  messages: number;
  done: number;
  /** Committed by an earlier delivery; announced again by this one. */
  announced: number;
  /** Already done: a duplicate, or a redelivery after the end. */
  skipped: number;
  /** Handed back to SQS after a retryable failure. */
  retried: number;
  /** Another delivery held the task: this one backed off. */
  busy: number;
  /** Not started: too little time left. */
  deferred: number;
  /** Unexpected errors and messages that are not tasks. */
  errors: number;
  pages: number;
  records: number;
  failures: number;
  bytes: number;
  /** Follow-up tasks handed on (fan-out and continuations). */
  sent: number;
}

export interface BatchResult {
  response: SqsBatchResponse;
  summary: BatchSummary;
  totals: Map<string, CollectorTotals>;
}

export function receiveCount(record: SqsRecord): number {
  return Math.max(1, Number(record.attributes.ApproximateReceiveCount ?? '1') || 1);
}

export async function runTaskBatch(rt: LambdaRuntime, event: SqsEvent, context: LambdaContext): Promise<BatchResult> {
  const records = event.Records;
  const failed: string[] = [];
  const summary: BatchSummary = {
    messages: records.length,
    done: 0,
    announced: 0,
    skipped: 0,
    retried: 0,
    busy: 0,
    deferred: 0,
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
  const fetchers = new InvocationFetchers(rt);
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++]!;
      // An invocation always starts its first task: it has its whole timeout then, and so makes progress.
      if (started > 0 && context.getRemainingTimeInMillis() < rt.minStartMs) {
        await defer(rt, record);
        failed.push(record.messageId);
        summary.deferred++;
        continue;
      }
      started++;
      const { collector, delivery } = await runRecord(rt, record, context, fetchers);
      count(delivery, summary, collector ? totalsOf(collector) : undefined);
      if (delivery.kind === 'retry' || delivery.kind === 'busy' || delivery.kind === 'error') failed.push(record.messageId);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(rt.taskConcurrency, records.length)) }, worker));
  } finally {
    await fetchers.close();
  }
  return { response: { batchItemFailures: failed.map((id) => ({ itemIdentifier: id })) }, summary, totals };
}

async function runRecord(
  rt: LambdaRuntime,
  record: SqsRecord,
  context: LambdaContext,
  fetchers: InvocationFetchers,
): Promise<{ collector?: string; delivery: Delivery }> {
  let task: Task;
  try {
    task = decodeTaskMessage(record.body);
  } catch (err) {
    rt.logger.error('message is not a task; it will reach the dead-letter queue', {
      messageId: record.messageId,
      error: errorMessage(err),
    });
    return { delivery: { kind: 'error' } };
  }
  try {
    const compiled = rt.registry.get(task.collector);
    return { collector: task.collector, delivery: await deliverTask(rt, compiled, task, receiveCount(record), context, fetchers) };
  } catch (err) {
    rt.logger.error('task cannot run here; it will be delivered again', {
      collector: task.collector,
      runId: task.runId,
      taskId: task.id,
      messageId: record.messageId,
      error: errorName(err),
      detail: rt.secrets.redact(errorMessage(err)),
    });
    return { collector: task.collector, delivery: { kind: 'error' } };
  }
}

/** A task not started for lack of time; on its last delivery it says so before it goes to the dead-letter queue. */
async function defer(rt: LambdaRuntime, record: SqsRecord): Promise<void> {
  const attempt = receiveCount(record);
  if (attempt < rt.maxReceiveCount) return;
  try {
    const task = decodeTaskMessage(record.body);
    const why = new Error(
      `not started: the invocation had less than ${Math.round(rt.minStartMs / 1000)} s left on the task's last delivery`,
    );
    await reportLastDelivery(rt, rt.registry.get(task.collector), task, attempt, why, 'the task was deferred on its last delivery');
    rt.logger.warn('task deferred on its last delivery; it goes to the dead-letter queue', {
      collector: task.collector,
      runId: task.runId,
      taskId: task.id,
      attempt,
    });
  } catch {
    // A message that is no task is logged when it is run; here there is nothing more to say.
  }
}

function count(delivery: Delivery, summary: BatchSummary, totals: CollectorTotals | undefined): void {
  switch (delivery.kind) {
    case 'done': {
      summary.done++;
      const s = delivery.draft?.stats;
      if (s) {
        summary.pages += s.pages;
        summary.records += s.records;
        summary.failures += s.failures;
        summary.bytes += s.bytes;
        summary.sent += delivery.draft!.followUps.length;
        if (totals) addTaskStats(totals, s);
      }
      break;
    }
    case 'announced':
      summary.announced++;
      break;
    case 'skipped':
      summary.skipped++;
      break;
    case 'busy':
      summary.busy++;
      break;
    case 'retry':
      summary.retried++;
      if (totals) totals.tasksRetried++;
      break;
    case 'error':
      summary.errors++;
      break;
  }
}
