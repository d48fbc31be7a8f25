// The AWS names of a project's resources, derived from the project's name
// prefix (its function name) and each collector's name: the generated
// Terraform creates them under these names, and the function finds them by the
// same rule, so nothing in its configuration grows with the collectors.

/** After the prefix and a dash: `<prefix>-<collector>-tasks`. */
export const awsNames = {
  tasksQueue: (collector: string) => `${collector}-tasks`,
  /** The one dead-letter queue every task queue redrives to. */
  deadLetterQueue: 'dead-letters',
  ledgerTable: 'ledger',
  /** The start queue of failed scheduled starts. */
  startFailures: 'start-failures',
  /** The project's one alarm on runs (RunsFailed + RunsStalled). */
  runsAlarm: 'runs-failed-or-stalled',
} as const;

/** `prefix` is what comes before the collector's name: `https://sqs.<region>.amazonaws.com/<account>/<function>-`. */
export function taskQueueUrl(prefix: string, collector: string): string {
  return `${prefix}${awsNames.tasksQueue(collector)}`;
}

/**
 * The project bucket's one-line copies of run manifests, the rows of the `collect_runs` table
 * (Athena skips keys that start with `_`, and its JSON SerDe reads one object per line).
 */
export const RUN_ROWS_PREFIX = 'collect-runs';

/** `collect-runs/dt=<date>/<collector>/<runId>.json`: partitioned on the run's date like the records. */
export function runRowKey(date: string, collector: string, runId: string): string {
  return `${RUN_ROWS_PREFIX}/dt=${date}/${collector}/${runId}.json`;
}
