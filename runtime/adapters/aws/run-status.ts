// A run's totals without CloudWatch: every part carries its task's stats as
// object metadata, so a run is the sum of HeadObject answers over its parts,
// plus the error reports under `_errors/`. A run on AWS has no single end (no
// invocation knows it finished the last task), so `_manifest.json` is written
// on request (`collect status --write-manifest`) from these same totals.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { checkExpectations, declaredFields } from '../../core/engine/expectations.ts';
import { buildManifest, type Manifest } from '../../core/output/manifest.ts';
import { addStats, emptyStats, type TaskStats } from '../../core/engine/stats.ts';
import type { Collector } from '../../language/generated/collector.types.ts';
import type { TaskErrorReport } from '../../core/output/error-report.ts';
import { ERRORS_DIR, MANIFEST_FILE } from '../../core/output/layout.ts';
import { decodePartMeta } from './part-metadata.ts';
import type { RunStartFile } from '../../core/output/run-start.ts';

export interface RunListing {
  runId: string;
  /** The `dt=` partition. */
  date: string;
  /** Key prefix of the run, without trailing slash. */
  prefix: string;
}

/** What `_run.json` says (written when the run started). */
type RunStart = Omit<RunStartFile, 'v'>;

export interface RunStatus {
  bucket: string;
  prefix: string;
  runId: string;
  start?: RunStart;
  tasks: number;
  /** The run's start (`_run.json`, else the earliest task start) and its latest write. */
  startedAt?: string;
  lastWriteAt?: string;
  /** From start to latest write. */
  wallMs?: number;
  /** The parts' stats summed: pages, records, failures, retries, bytes, and task time (durationMs). */
  stats: TaskStats;
  /** Short spec hashes of the parts: more than one means the collector changed mid-run. */
  specHashes: string[];
  /** Parts whose per-field counts did not fit in their metadata. */
  truncatedParts: number;
  /** Parts without stats metadata (not written by this runtime). */
  foreignParts: number;
  parts: string[];
  errors: TaskErrorReport[];
  hasManifest: boolean;
}

interface S3Object {
  key: string;
  lastModified?: Date;
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<S3Object[]> {
  const out: S3Object[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of res.Contents ?? []) out.push({ key: o.Key!, ...(o.LastModified ? { lastModified: o.LastModified } : {}) });
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function listFolders(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const p of res.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The runs under a collector's output prefix, latest first. */
export async function listRuns(s3: S3Client, bucket: string, basePrefix: string, limit = 20): Promise<RunListing[]> {
  const base = basePrefix ? `${basePrefix.replace(/\/+$/, '')}/` : '';
  const dates = (await listFolders(s3, bucket, base))
    .map((p) => ({ prefix: p, date: /dt=(\d{4}-\d{2}-\d{2})\/$/.exec(p)?.[1] }))
    .filter((d): d is { prefix: string; date: string } => d.date !== undefined)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
  const runs: RunListing[] = [];
  for (const d of dates) {
    const found = (await listFolders(s3, bucket, d.prefix))
      .map((p) => ({ runId: /run=([^/]+)\/$/.exec(p)?.[1], prefix: p.slice(0, -1) }))
      .filter((r): r is { runId: string; prefix: string } => r.runId !== undefined)
      .map((r) => ({ ...r, date: d.date }));
    runs.push(...found);
    if (runs.length >= limit) break;
  }
  return runs.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0)).slice(0, limit);
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString('utf-8')) ?? '';
}

async function mapLimit<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

export async function readRunStatus(
  s3: S3Client,
  bucket: string,
  runPrefix: string,
  options: { concurrency?: number } = {},
): Promise<RunStatus> {
  const prefix = runPrefix.replace(/\/+$/, '');
  const runId = /run=([^/]+)$/.exec(prefix)?.[1] ?? '';
  const objects = await listObjects(s3, bucket, `${prefix}/`);
  const name = (o: S3Object) => o.key.slice(prefix.length + 1);
  const parts = objects.filter((o) => /^part-[^/]+\.jsonl\.gz$/.test(name(o)));
  const errorObjects = objects.filter((o) => name(o).startsWith(`${ERRORS_DIR}/`) && name(o).endsWith('.json'));
  const width = options.concurrency ?? 16;

  const [metas, errors, start] = await Promise.all([
    mapLimit(parts, width, async (o) => decodePartMeta((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }))).Metadata)),
    mapLimit(errorObjects, width, async (o) => JSON.parse(await getText(s3, bucket, o.key)) as TaskErrorReport),
    objects.some((o) => name(o) === '_run.json')
      ? getText(s3, bucket, `${prefix}/_run.json`).then((t) => JSON.parse(t) as RunStart)
      : Promise.resolve(undefined),
  ]);

  const stats = emptyStats();
  const hashes = new Set<string>();
  let truncated = 0;
  let foreign = 0;
  let earliest: number | undefined;
  for (const meta of metas) {
    if (!meta) {
      foreign++;
      continue;
    }
    addStats(stats, meta.stats);
    if (meta.specHash) hashes.add(meta.specHash);
    if (meta.truncated) truncated++;
    earliest = earliest === undefined ? meta.startedAt : Math.min(earliest, meta.startedAt);
  }
  const latest = Math.max(0, ...[...parts, ...errorObjects].map((o) => o.lastModified?.getTime() ?? 0));
  const startedMs = start ? Date.parse(start.startedAt) : earliest;
  return {
    bucket,
    prefix,
    runId,
    ...(start ? { start } : {}),
    tasks: parts.length,
    ...(startedMs !== undefined ? { startedAt: new Date(startedMs).toISOString() } : {}),
    ...(latest > 0 ? { lastWriteAt: new Date(latest).toISOString() } : {}),
    ...(startedMs !== undefined && latest > 0 ? { wallMs: Math.max(0, latest - startedMs) } : {}),
    stats,
    specHashes: [...hashes].sort(),
    truncatedParts: truncated,
    foreignParts: foreign,
    parts: parts.map(name).sort(),
    errors: errors.sort((a, b) => (a.taskId < b.taskId ? -1 : 1)),
    hasManifest: objects.some((o) => name(o) === MANIFEST_FILE),
  };
}

/**
 * The manifest of a run from its status. `complete` says the run is over (the
 * caller knows: its queue is empty); an incomplete run skips the minRecords check.
 */
export function manifestOf(
  status: RunStatus,
  collector: Pick<Collector, 'name' | 'expect' | 'extract' | 'follow'>,
  complete: boolean,
): Manifest {
  const expectations = checkExpectations(collector.expect, status.stats, complete, declaredFields(collector));
  const warnings = [...new Set(status.errors.flatMap((e) => e.warnings))];
  const started = status.startedAt ? new Date(status.startedAt) : new Date(0);
  const finished = status.lastWriteAt ? new Date(status.lastWriteAt) : started;
  return buildManifest({
    collector: collector.name,
    runId: status.runId,
    specHash: status.start?.specHash ?? status.specHashes[0] ?? '',
    startedAt: started,
    finishedAt: finished,
    stats: status.stats,
    tasks: status.tasks,
    parts: status.parts,
    expectations,
    warnings,
    complete,
  });
}

export async function writeManifest(s3: S3Client, status: RunStatus, manifest: Manifest): Promise<string> {
  const key = `${status.prefix}/_manifest.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: status.bucket,
      Key: key,
      Body: `${JSON.stringify(manifest, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  return key;
}
