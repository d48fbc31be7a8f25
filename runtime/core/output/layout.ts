// The output layout, the same on S3 and on disk, and the one place its keys and
// file names are spelled (the local driver, the Lambda, `explain` and `status`
// all ask here):
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz   records of one task
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_run.json               when and with which spec the run started
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_errors/<taskId>.json    a task's permanent failures and warnings
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_manifest.json          the finished run's totals
import { keyProblem } from '../../language/path-bounds.ts';
import { joinKey, parseS3Uri } from '../../language/s3-uri.ts';
import type { RunLocation } from '../engine/ports.ts';
import { runDate } from '../engine/run-id.ts';

export const RUN_START_FILE = '_run.json';
export const MANIFEST_FILE = '_manifest.json';
export const ERRORS_DIR = '_errors';

/** The run's folder below the collector's prefix: `dt=YYYY-MM-DD/run=<runId>`. */
function runFolder(runId: string): string {
  return `dt=${runDate(runId)}/run=${runId}`;
}

export function runBucket(run: RunLocation): string {
  return parseS3Uri(run.output).bucket;
}

export function runPrefix(run: RunLocation): string {
  return joinKey(parseS3Uri(run.output).prefix, runFolder(run.runId));
}

export function partName(taskId: string): string {
  return `part-${taskId}.jsonl.gz`;
}

export function partKey(run: RunLocation, taskId: string): string {
  return `${runPrefix(run)}/${partName(taskId)}`;
}

export function errorReportName(taskId: string): string {
  return `${ERRORS_DIR}/${taskId}.json`;
}

/** The keys of a run, with placeholders where the run or task is not known yet (for `explain`). */
export function describeLayout(output: string, runId = '<runId>', taskId = '<taskId>'): { part: string; manifest: string; errors: string } {
  const base = `${output.replace(/\/+$/, '')}/dt=YYYY-MM-DD/run=${runId}`;
  return { part: `${base}/${partName(taskId)}`, manifest: `${base}/${MANIFEST_FILE}`, errors: `${base}/${errorReportName(taskId)}` };
}

/** A write the sinks refuse: its key or path would leave the run's place. Never retried. */
export class UnsafeOutputError extends Error {
  override readonly name = 'UnsafeOutputError';
}

/**
 * Refuses a bucket and key that could leave their place (a "." or ".."
 * segment, an absolute path, a backslash, a control character), whatever
 * rendered them: `collect validate` and `--var` refuse such specs and values,
 * and the sinks ask here again before every write.
 */
export function assertSafeKey(bucket: string, key: string): void {
  const problem = keyProblem(`${bucket}/${key}`, 'the key');
  if (problem) throw new UnsafeOutputError(`refused to write s3://${bucket}/${key}: ${problem.message}`);
}
