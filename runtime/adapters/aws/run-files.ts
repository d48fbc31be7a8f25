// The files of a run on S3, read back: its parts, its error reports and its
// manifest. The function reads them when it finishes a run (the manifest lists
// the parts and the reports' warnings); `collect status` reads the manifest.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RunLocation } from '../../core/engine/ports.ts';
import type { TaskErrorReport } from '../../core/output/error-report.ts';
import { ERRORS_DIR, errorReportName, MANIFEST_FILE, runBucket, runPrefix } from '../../core/output/layout.ts';
import type { Manifest } from '../../core/output/manifest.ts';
import { runDate } from '../../core/engine/run-id.ts';
import { runRowKey } from '../../language/deployment-names.ts';
import { isNotFound } from './s3-errors.ts';

export interface RunFiles {
  /** Part file names (`part-<taskId>.jsonl.gz`), sorted. */
  parts: string[];
  /** Task ids with an error report. */
  reported: string[];
}

export async function listRunFiles(s3: S3Client, run: RunLocation): Promise<RunFiles> {
  const prefix = `${runPrefix(run)}/`;
  const parts: string[] = [];
  const reported: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(
      new ListObjectsV2Command({ Bucket: runBucket(run), Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of res.Contents ?? []) {
      const name = o.Key!.slice(prefix.length);
      if (/^part-[0-9a-f]+\.jsonl\.gz$/.test(name)) parts.push(name);
      const report = new RegExp(`^${ERRORS_DIR}/([0-9a-f]+)\\.json$`).exec(name);
      if (report) reported.push(report[1]!);
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return { parts: parts.sort(), reported: reported.sort() };
}

async function getJson<T>(s3: S3Client, run: RunLocation, name: string): Promise<T | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: runBucket(run), Key: `${runPrefix(run)}/${name}` }));
    return JSON.parse((await res.Body?.transformToString('utf-8')) ?? 'null') as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function readErrorReport(s3: S3Client, run: RunLocation, taskId: string): Promise<TaskErrorReport | undefined> {
  return getJson<TaskErrorReport>(s3, run, errorReportName(taskId));
}

export function readManifest(s3: S3Client, run: RunLocation): Promise<Manifest | undefined> {
  return getJson<Manifest>(s3, run, MANIFEST_FILE);
}

/**
 * The run's row of the `collect_runs` table: its manifest on one line in the run's bucket
 * (Athena skips keys that start with `_` and reads one JSON object per line).
 */
export async function putRunRow(s3: S3Client, run: RunLocation, manifest: Manifest): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: runBucket(run),
      Key: runRowKey(runDate(run.runId), run.collector, run.runId),
      Body: `${JSON.stringify(manifest)}\n`,
      ContentType: 'application/json',
    }),
  );
}
