// The local driver: the engine with an in-process queue, a folder (or S3) sink
// and a file state store. Tasks run a few at a time; the fetcher's per-host
// limits keep the site's load where the collector says.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compileCollector } from '../../core/engine/compile.ts';
import { RetryableTaskError } from '../../core/engine/errors.ts';
import { checkExpectations, declaredFields, type ExpectationReport } from '../../core/engine/expectations.ts';
import { IncrementalState } from '../../core/engine/incremental.ts';
import { buildManifest, type Manifest } from '../../core/output/manifest.ts';
import { builtinVariables, planSeeds } from '../../core/engine/plan.ts';
import type { EngineLogger, RunLocation, Sink } from '../../core/engine/ports.ts';
import { silentLogger } from '../../core/engine/ports.ts';
import { manualRunId } from '../../core/engine/run-id.ts';
import { dedupeKeyOf, runTask, type TaskOutcome } from '../../core/engine/run-task.ts';
import { addStats, emptyStats, type FailureReport } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';
import { HttpFetcher } from '../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import { buildErrorReport, putErrorReport } from '../../core/output/error-report.ts';
import { FolderSink } from '../../adapters/folder-sink.ts';
import { MANIFEST_FILE } from '../../core/output/layout.ts';
import { putRunStart } from '../../core/output/run-start.ts';
import type { Collector } from '../../language/generated/collector.types.ts';
import { FileStateStore } from '../../adapters/file-state.ts';
import { render } from '../../language/template.ts';
import { SecretResolver, secretReferencesIn, type SsmResolver } from '../../core/secrets.ts';
import { shortHash } from '../../core/hash.ts';
import { Checkpoint } from './checkpoint.ts';
import { readRunIndex, writeRunIndex } from './run-index.ts';

export interface LocalRunOptions {
  collector: Collector;
  specHash?: string;
  /** The local folder of the run: records (unless `sink` says otherwise), checkpoint, run index and state. */
  outDir: string;
  /** `--var k=v`. */
  vars?: Record<string, string>;
  /** `--limit`: stop after this many records. */
  limit?: number;
  /** `--max-pages`: pages per pagination chain. */
  maxPages?: number;
  allowPrivateNetwork?: boolean;
  /** Continue the collector's last unfinished run. */
  resume?: boolean;
  /** Tasks in flight at once. Default 4. */
  taskConcurrency?: number;
  /** Deliveries of a task that fails with a retryable error. Default 3. */
  maxAttempts?: number;
  fetcher?: Fetcher;
  /** Where records and run files go; default a FolderSink under `outDir`. */
  sink?: Sink;
  /** Rewrites the run's rendered `output` (`--out s3://bucket/root` puts the run in another bucket). */
  relocate?: (output: string) => string;
  logger?: EngineLogger;
  env?: Readonly<Record<string, string | undefined>>;
  /** For `${ssm:/path}` references; without it they cannot be resolved. */
  ssm?: SsmResolver;
  onProgress?: (totals: Progress) => void;
  now?: Date;
}

export interface Progress {
  pages: number;
  records: number;
  failures: number;
  tasksDone: number;
  tasksQueued: number;
  elapsedMs: number;
}

export interface LocalRunResult {
  manifest: Manifest;
  run: RunLocation;
  /** The local folder holding the run's checkpoint (and its records, with the default sink). */
  runDir: string;
  failures: FailureReport[];
  expectations: ExpectationReport;
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const { collector } = options;
  const logger = options.logger ?? silentLogger;
  const compiled = compileCollector(collector, { hash: options.specHash ?? '', allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  // Every secret is resolved before anything is written or fetched: a missing one
  // is one clear error, and no half-made run folder is left behind.
  const secrets = new SecretResolver(options.env ?? process.env, options.ssm);
  await secrets.preload(secretReferencesIn(collector.request));

  const sink = options.sink ?? new FolderSink(options.outDir);
  const previous = options.resume ? readRunIndex(options.outDir, collector.name) : undefined;
  if (options.resume && (!previous || previous.complete)) throw new Error(`nothing to resume: ${collector.name} has no unfinished run under ${options.outDir}`);
  const runId = previous?.runId ?? manualRunId(options.now);
  const rendered = render(collector.output, { ...builtinVariables(collector, runId), ...compiled.constants, ...options.vars });
  const output = previous?.output ?? (options.relocate ? options.relocate(rendered) : rendered);
  const run: RunLocation = { collector: collector.name, runId, output };
  // The run's folder under --out holds its checkpoint whatever the records' sink (--stdout, S3).
  const runDir = new FolderSink(options.outDir).runDir(run);
  const checkpoint = Checkpoint.inDir(runDir);
  writeRunIndex(options.outDir, collector.name, { runId, output, complete: false });

  const startedAt = options.now ?? new Date();
  const clock = Date.now();
  const totals = emptyStats();
  const failures: FailureReport[] = [];
  const warnings: string[] = [];
  const parts: string[] = [];
  // Hashes, not the keys themselves: a run-wide filter costs about 50 bytes a record however long the keys.
  const seenKeys = new Set<string>();
  const remember = (key: string) => {
    const h = shortHash(key);
    return seenKeys.has(h) ? false : (seenKeys.add(h), true);
  };
  let tasksDone = 0;

  if (previous) removeTemporaryParts(runDir);
  const journal = checkpoint.read();
  let queue: Task[];
  if (previous) {
    for (const d of journal.done.values()) {
      addStats(totals, d.stats);
      failures.push(...d.failures);
      warnings.push(...d.warnings);
      parts.push(d.part);
      tasksDone++;
    }
    queue = journal.pending;
  } else {
    checkpoint.reset();
    queue = planSeeds(collector, { runId, ...(options.vars ? { overrides: options.vars } : {}), ...(options.now ? { now: options.now } : {}) });
    checkpoint.added(queue);
    await putRunStart(sink, run, { v: 1, collector: collector.name, runId, specHash: compiled.hash, scheduledTime: null, seeds: queue.length, startedAt: startedAt.toISOString() });
  }
  const dedupeKey = collector.records?.dedupeKey;
  if (previous && dedupeKey) {
    // The records of finished tasks count as written: a resumed run must not repeat them.
    for (const part of parts) {
      for (const record of readPart(join(runDir, part))) {
        const key = dedupeKeyOf(record, dedupeKey);
        if (key !== undefined) remember(key);
      }
    }
  }
  const known = new Set([...journal.done.keys(), ...queue.map((t) => t.id)]);
  const attempts = new Map<string, number>();

  const fetcher = options.fetcher ?? new HttpFetcher();
  const state = collector.records?.incremental ? new IncrementalState(new FileStateStore(join(options.outDir, '.collect', 'state')), collector.name, runId) : undefined;
  const recordBudget = options.limit !== undefined ? { remaining: Math.max(0, options.limit - totals.records) } : undefined;
  const progress = { pages: totals.pages, records: totals.records, failures: totals.failures };
  const report = () => options.onProgress?.({ ...progress, tasksDone, tasksQueued: queue.length, elapsedMs: Date.now() - clock });

  const env = {
    compiled,
    fetcher,
    secrets,
    sink,
    run,
    logger,
    ...(state ? { incremental: state } : {}),
    dedupe: remember,
    hopLimited: false,
    ...(options.maxPages !== undefined ? { maxPagesPerChain: options.maxPages } : {}),
    ...(recordBudget ? { recordBudget } : {}),
    queue: {
      send: async (tasks: Task[]) => {
        const fresh = tasks.filter((t) => !known.has(t.id));
        for (const t of fresh) known.add(t.id);
        checkpoint.added(fresh);
        queue.push(...fresh);
      },
    },
    onProgress: (d: { pages: number; records: number; failures: number }) => {
      progress.pages += d.pages;
      progress.records += d.records;
      progress.failures += d.failures;
      report();
    },
  };

  const maxAttempts = options.maxAttempts ?? 3;
  const runOne = async (task: Task): Promise<void> => {
    const attempt = (attempts.get(task.id) ?? 0) + 1;
    attempts.set(task.id, attempt);
    let outcome: TaskOutcome;
    try {
      outcome = await runTask(task, { ...env, finalAttempt: attempt >= maxAttempts });
    } catch (err) {
      if (err instanceof RetryableTaskError && attempt < maxAttempts) {
        logger.warn(`task ${task.id} will be retried: ${err.message}`);
        queue.push(task);
        return;
      }
      throw err;
    }
    if (outcome.failures.length || outcome.warnings.length) await putErrorReport(sink, run, buildErrorReport(task, attempt, outcome.failures, outcome.warnings));
    checkpoint.finished(task.id, outcome.stats, outcome.failures, outcome.warnings, basename(outcome.key));
    addStats(totals, outcome.stats);
    failures.push(...outcome.failures);
    warnings.push(...outcome.warnings.filter((w) => !warnings.includes(w)));
    parts.push(basename(outcome.key));
    tasksDone++;
    report();
  };

  try {
    await drain(queue, options.taskConcurrency ?? 4, runOne);
  } finally {
    if (!options.fetcher) await fetcher.close();
  }

  const expectations = checkExpectations(collector.expect, totals, options.limit === undefined && options.maxPages === undefined, declaredFields(collector));
  const manifest = buildManifest({
    collector: collector.name,
    runId,
    specHash: compiled.hash,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + (Date.now() - clock)),
    stats: totals,
    tasks: tasksDone,
    parts: parts.sort(),
    expectations,
    warnings,
    complete: true,
  });
  await sink.putRunFile(run, MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  writeRunIndex(options.outDir, collector.name, { runId, output, complete: true });
  return { manifest, run, runDir, failures, expectations };
}

/** Runs queued tasks, `width` at a time, until the queue is empty and nothing is in flight. */
async function drain(queue: Task[], width: number, run: (task: Task) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  while ((queue.length > 0 || inFlight.size > 0) && failure === undefined) {
    while (queue.length > 0 && inFlight.size < width) {
      const p: Promise<void> = run(queue.shift()!).then(
        () => void inFlight.delete(p),
        (err: unknown) => {
          inFlight.delete(p);
          failure ??= err;
        },
      );
      inFlight.add(p);
    }
    if (inFlight.size > 0) await Promise.race(inFlight);
  }
  await Promise.allSettled(inFlight);
  if (failure !== undefined) throw failure;
}

function readPart(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Parts a killed process left half-written; their tasks run again. */
function removeTemporaryParts(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
}
