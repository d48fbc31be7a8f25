// One SQS message of a task queue: one task, delivered at least once.
//
//   claim the task in the ledger (a lease until this invocation's deadline)
//     settled   -> nothing to do (a duplicate, or a redelivery after the end)
//     busy      -> another delivery is running it: back off, SQS delivers again later
//     committed -> an earlier delivery committed it and died announcing: announce again
//     claimed   -> run it: part PUT, error report, commit in the ledger (with its
//                  follow-ups), then announce; nothing leaves before the commit
//
// So a task's records are written by the delivery that commits it, and its
// follow-ups are those recorded with that commit, whatever SQS does.
import { errorMessage, errorName, RetryableTaskError } from '../../core/engine/errors.ts';
import { runTask, type TaskDraft } from '../../core/engine/run-task.ts';
import type { PageBudget } from '../../core/engine/task-context.ts';
import type { FailureReport } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';
import type { Claim } from '../../core/ledger/ledger.ts';
import { buildErrorReport, putErrorReport } from '../../core/output/error-report.ts';
import { announce } from './announce.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import type { LambdaContext } from './events.ts';
import { finishIfDone } from './finish-run.ts';
import { engineLogger } from './logging.ts';
import { runLocation } from './run-location.ts';
import type { InvocationFetchers } from './invocation-fetchers.ts';
import { incrementalFor, sinkFor, type LambdaRuntime } from './runtime-context.ts';

export type Delivery =
  | { kind: 'done'; draft?: TaskDraft }
  | { kind: 'announced' }
  | { kind: 'skipped' }
  | { kind: 'busy' }
  | { kind: 'retry' }
  | { kind: 'error' };

/** A lease lasts as long as this invocation can, plus a margin for clocks that disagree a little. */
const LEASE_MARGIN_MS = 2_000;

export async function deliverTask(
  rt: LambdaRuntime,
  compiled: CompiledCollector,
  task: Task,
  attempt: number,
  context: LambdaContext,
  fetchers: InvocationFetchers,
): Promise<Delivery> {
  const claim = await claimTask(rt, compiled, task, Date.now() + context.getRemainingTimeInMillis() + LEASE_MARGIN_MS);
  switch (claim.kind) {
    case 'settled':
      await finishIfDone(rt, compiled, task.runId);
      return { kind: 'skipped' };
    case 'busy':
      return { kind: 'busy' };
    case 'committed':
      await announce(rt, compiled, task, claim.commit);
      return { kind: 'announced' };
    case 'claimed':
      return execute(rt, compiled, task, claim.lease, attempt, context, fetchers);
    case 'unknown':
      return { kind: 'error' };
  }
}

/** Claims a task; one the ledger does not know (its run opened before the ledger did) is registered first. */
export async function claimTask(rt: LambdaRuntime, compiled: CompiledCollector, task: Task, leaseUntil: number): Promise<Claim> {
  const claim = await rt.ledger.claim(task, leaseUntil);
  if (claim.kind !== 'unknown') return claim;
  const run = runLocation(compiled, task.runId, rt.bucket);
  await rt.ledger.openRun({
    collector: task.collector,
    runId: task.runId,
    specHash: compiled.hash,
    output: run.output,
    startedAt: rt.now().toISOString(),
    seeds: 0,
    fields: [],
  });
  await rt.ledger.register(task.collector, task.runId, [task]);
  return rt.ledger.claim(task, leaseUntil);
}

async function execute(
  rt: LambdaRuntime,
  compiled: CompiledCollector,
  task: Task,
  lease: string,
  attempt: number,
  context: LambdaContext,
  fetchers: InvocationFetchers,
): Promise<Delivery> {
  const finalAttempt = attempt >= rt.maxReceiveCount;
  const run = runLocation(compiled, task.runId, rt.bucket);
  const sink = sinkFor(rt, compiled);
  const redact = (text: string) => rt.secrets.redact(text);
  const log = engineLogger(rt.logger, { collector: task.collector, runId: task.runId, taskId: task.id }, redact);
  const incremental = incrementalFor(rt, compiled, task.runId);
  const seen = new Set<string>();
  let draft: TaskDraft;
  try {
    const pages = await pageBudget(rt, compiled, task);
    draft = await runTask(
      task,
      compiled,
      run,
      {
        fetcher: fetchers.of(compiled, task.runId),
        secrets: rt.secrets,
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
        pages,
      },
      { reserveMs: rt.reserveMs, hopLimited: true, finalAttempt },
    );
  } catch (err) {
    await rt.ledger.release(task, lease);
    if (err instanceof RetryableTaskError) {
      log.warn('task will be retried', { attempt, url: redact(err.url), error: redact(err.message) });
      return { kind: 'retry' };
    }
    log.error('task failed unexpectedly', { attempt, finalAttempt, error: errorName(err), detail: redact(errorMessage(err)) });
    if (finalAttempt) await reportLastDelivery(rt, compiled, task, attempt, err, 'the task failed on its last delivery');
    return { kind: 'error' };
  }
  try {
    const part = await draft.part.commit(draft.stats);
    if (draft.failures.length || draft.warnings.length) {
      await putErrorReport(
        sink,
        run,
        buildErrorReport(
          task,
          attempt,
          draft.failures.map((f) => redactFailure(f, redact)),
          draft.warnings.map(redact),
          rt.now(),
        ),
      );
      if (draft.failures.length)
        log.warn('task had permanent failures; see the run error report', {
          failures: draft.failures.length,
          first: redact(draft.failures[0]!.message),
          attempt,
        });
    }
    if (draft.highMark !== null) await incremental?.raise(draft.highMark);
    const commit = { part: part.slice(part.lastIndexOf('/') + 1), stats: draft.stats, followUps: draft.followUps };
    if (!(await rt.ledger.commit(task, lease, commit))) {
      // This delivery outlived its lease and another took the task over: that one's commit counts.
      log.warn('task was taken over by another delivery; its commit stands', { attempt });
      return { kind: 'skipped' };
    }
    await announce(rt, compiled, task, commit);
    return { kind: 'done', draft };
  } catch (err) {
    await rt.ledger.release(task, lease).catch(() => undefined);
    log.error('task could not be committed or announced', { attempt, error: errorName(err), detail: redact(errorMessage(err)) });
    if (finalAttempt) await reportLastDelivery(rt, compiled, task, attempt, err, 'the task could not be committed on its last delivery');
    return { kind: 'error' };
  }
}

/**
 * limits.maxPages on Lambda, at task granularity: the pages the run's done tasks fetched (the
 * ledger's sum) are read before the task starts, and the task fetches at most the rest. Tasks
 * running at the same moment do not see each other's pages, so a run can overshoot its ceiling
 * by the pages in flight; once the ledger shows it reached, every task stops at its first page
 * and hands nothing on, and the run ends failed.
 */
async function pageBudget(rt: LambdaRuntime, compiled: CompiledCollector, task: Task): Promise<PageBudget> {
  const run = await rt.ledger.get(task.collector, task.runId);
  let left = compiled.spec.limits.maxPages - (run?.stats.pages ?? 0);
  return {
    get left() {
      return left;
    },
    take() {
      if (left <= 0) return false;
      left--;
      return true;
    },
    giveBack() {
      left++;
    },
  };
}

/** The error report of a last delivery that failed: the dead-letter queue's consumer finds it and records the task as failed with its error. */
export async function reportLastDelivery(
  rt: LambdaRuntime,
  compiled: CompiledCollector,
  task: Task,
  attempt: number,
  err: unknown,
  why: string,
): Promise<void> {
  const run = runLocation(compiled, task.runId, rt.bucket);
  const failure: FailureReport = {
    taskId: task.id,
    url: rt.secrets.redact(task.url),
    error: errorName(err),
    message: rt.secrets.redact(errorMessage(err)),
    at: rt.now().toISOString(),
  };
  await putErrorReport(
    sinkFor(rt, compiled),
    run,
    buildErrorReport(task, attempt, [failure], [`${why}; its message goes to the dead-letter queue`], rt.now()),
  ).catch(() => undefined);
}

function redactFailure(f: FailureReport, redact: (text: string) => string): FailureReport {
  return { ...f, url: redact(f.url), message: redact(f.message) };
}
