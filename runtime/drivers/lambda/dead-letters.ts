// The shared dead-letter queue, consumed by this same function: a task whose
// every delivery failed (even one that crashed or timed out, which wrote
// nothing) is recorded in the ledger as failed, with the error of its last
// delivery when that delivery could write one, so its run still ends, as
// failed. A task that turns out to be committed is announced instead: nothing
// it found is lost. An operator retries failed tasks after a fix with
// `collect retry`.
import { readErrorReport } from '../../adapters/aws/run-files.ts';
import { errorMessage } from '../../core/engine/errors.ts';
import type { Task } from '../../core/engine/task.ts';
import { buildErrorReport, putErrorReport } from '../../core/output/error-report.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { announce } from './announce.ts';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from './events.ts';
import { finishIfDone } from './finish-run.ts';
import { runLocation } from './run-location.ts';
import { sinkFor, type LambdaRuntime } from './runtime-context.ts';
import { decodeTaskMessage } from '../../core/engine/task-message.ts';
import { receiveCount } from './task-batch.ts';
import { claimTask } from './task-delivery.ts';

/** Long enough to write a report and settle the task; dead letters are not retried by their own clock. */
const LEASE_MS = 60_000;

export interface DeadLetterSummary {
  messages: number;
  failed: number;
  announced: number;
  skipped: number;
  busy: number;
  invalid: number;
}

export async function consumeDeadLetters(
  rt: LambdaRuntime,
  event: SqsEvent,
): Promise<{ response: SqsBatchResponse; summary: DeadLetterSummary }> {
  const summary: DeadLetterSummary = { messages: event.Records.length, failed: 0, announced: 0, skipped: 0, busy: 0, invalid: 0 };
  const retry: string[] = [];
  for (const record of event.Records) {
    try {
      const outcome = await settleDeadLetter(rt, record);
      summary[outcome]++;
      if (outcome === 'busy') retry.push(record.messageId);
    } catch (err) {
      rt.logger.error('dead letter could not be recorded; it stays in the queue', {
        messageId: record.messageId,
        detail: rt.secrets.redact(errorMessage(err)),
      });
      retry.push(record.messageId);
    }
  }
  return { response: { batchItemFailures: retry.map((id) => ({ itemIdentifier: id })) }, summary };
}

async function settleDeadLetter(rt: LambdaRuntime, record: SqsRecord): Promise<'failed' | 'announced' | 'skipped' | 'busy' | 'invalid'> {
  let task: Task;
  try {
    task = decodeTaskMessage(record.body);
  } catch (err) {
    // Nothing can be counted for it; it is logged so that someone can look.
    rt.logger.error('dead letter is not a task; dropped', {
      messageId: record.messageId,
      error: errorMessage(err),
      body: record.body.slice(0, 200),
    });
    return 'invalid';
  }
  const compiled = rt.registry.get(task.collector);
  const claim = await claimTask(rt, compiled, task, Date.now() + LEASE_MS);
  switch (claim.kind) {
    case 'settled':
      await finishIfDone(rt, compiled, task.runId);
      return 'skipped';
    case 'busy':
      return 'busy';
    case 'committed':
      await announce(rt, compiled, task, claim.commit);
      return 'announced';
    case 'unknown':
      throw new Error(`task ${task.id} could not be registered in the ledger`);
    case 'claimed': {
      const failure = await lastFailure(rt, compiled, task, receiveCount(record));
      if (await rt.ledger.fail(task, claim.lease, failure)) {
        rt.logger.warn('task failed for good', {
          collector: task.collector,
          runId: task.runId,
          taskId: task.id,
          error: failure.error,
          message: failure.message,
        });
      }
      await finishIfDone(rt, compiled, task.runId);
      return 'failed';
    }
  }
}

/** The error the task's last delivery reported, or a report written now when that delivery died before it could. */
async function lastFailure(
  rt: LambdaRuntime,
  compiled: CompiledCollector,
  task: Task,
  attempt: number,
): Promise<{ error: string; message: string }> {
  const run = runLocation(compiled, task.runId, rt.bucket);
  const report = await readErrorReport(rt.s3, run, task.id);
  const first = report?.failures[0];
  if (first) return { error: first.error, message: first.message };
  const message = `every delivery of the task failed (${attempt} receives); the last one ended without a report: it crashed or ran out of time`;
  await putErrorReport(
    sinkFor(rt, compiled),
    run,
    buildErrorReport(
      task,
      attempt,
      [{ taskId: task.id, url: rt.secrets.redact(task.url), error: 'DeadLetter', message, at: rt.now().toISOString() }],
      [],
      rt.now(),
    ),
  );
  return { error: 'DeadLetter', message };
}
