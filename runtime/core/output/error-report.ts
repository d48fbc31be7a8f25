// The run's error report: one object per task that had permanent failures or
// warnings, `<run prefix>/_errors/<taskId>.json`, on S3 and on disk alike. The
// key is fixed by run and task, so a redelivered task overwrites its report
// instead of adding one, and a task without problems writes nothing (no extra PUT).
import type { RunLocation, Sink } from '../engine/ports.ts';
import type { FailureReport } from '../engine/stats.ts';
import type { Task } from '../engine/task.ts';
import { errorReportName } from './layout.ts';

export interface TaskErrorReport {
  v: 1;
  collector: string;
  runId: string;
  taskId: string;
  /** The task's first URL and page, to find it again. */
  url: string;
  page: number;
  hop: number;
  /** The SQS delivery that wrote the report (ApproximateReceiveCount). */
  attempt: number;
  failures: FailureReport[];
  warnings: string[];
  at: string;
}

export function buildErrorReport(
  task: Task,
  attempt: number,
  failures: FailureReport[],
  warnings: string[],
  at: Date = new Date(),
): TaskErrorReport {
  return {
    v: 1,
    collector: task.collector,
    runId: task.runId,
    taskId: task.id,
    url: task.url,
    page: task.page,
    hop: task.hop,
    attempt,
    // A task with thousands of broken detail pages must not make a huge object; the count stays exact in the part's stats.
    failures: failures.slice(0, 500),
    warnings: warnings.slice(0, 100),
    at: at.toISOString(),
  };
}

export function putErrorReport(sink: Sink, run: RunLocation, report: TaskErrorReport): Promise<string> {
  return sink.putRunFile(run, errorReportName(report.taskId), `${JSON.stringify(report)}\n`);
}
