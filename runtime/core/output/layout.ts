// The output layout, the same on S3 and on disk:
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz   records of one task
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_run.json               when and with which spec the run started
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_errors/<taskId>.json    a task's permanent failures and warnings
//   <prefix>/dt=YYYY-MM-DD/run=<runId>/_manifest.json          the finished run's totals
import { runDate } from '../engine/run-id.ts';
import type { RunLocation } from '../engine/ports.ts';

export interface S3Location {
  bucket: string;
  /** Without leading or trailing slash; may be empty. */
  prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`"${uri}" is not an s3://bucket/prefix URI`);
  return { bucket: m[1]!, prefix: m[2]!.replace(/^\/+|\/+$/g, '') };
}

export function runPrefix(run: RunLocation): string {
  const { prefix } = parseS3Uri(run.output);
  return `${prefix ? prefix + '/' : ''}dt=${runDate(run.runId)}/run=${run.runId}`;
}

export function partName(taskId: string): string {
  return `part-${taskId}.jsonl.gz`;
}

export function partKey(run: RunLocation, taskId: string): string {
  return `${runPrefix(run)}/${partName(taskId)}`;
}

export const RUN_START_FILE = '_run.json';
export const MANIFEST_FILE = '_manifest.json';
