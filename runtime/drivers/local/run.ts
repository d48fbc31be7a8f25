// The local driver: the engine with an in-process queue, a folder (or S3) sink
// and a file state store. Tasks run a few at a time; the fetcher's per-host
// limits keep the site's load where the collector says. A task's part is
// committed before its follow-ups are journaled and queued, so a crash at any
// moment resumes to exactly the records of an uninterrupted run.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileCollector, type CompiledCollector } from '../../core/engine/compile.ts';
import { RetryableTaskError } from '../../core/engine/errors.ts';
import { collectorFetcher } from '../../core/engine/fetch-stack.ts';
import { checkExpectations, declaredFields, type ExpectationReport } from '../../core/engine/expectations.ts';
import { compareCursor, IncrementalState } from '../../core/engine/incremental.ts';
import { builtinVariables, planSeeds } from '../../core/engine/plan.ts';
import type { EngineLogger, RunLocation, Sink } from '../../core/engine/ports.ts';
import { silentLogger } from '../../core/engine/ports.ts';
import { manualRunId } from '../../core/engine/run-id.ts';
import { runTask, type TaskDraft } from '../../core/engine/run-task.ts';
import { addStats, emptyStats, type FailureReport } from '../../core/engine/stats.ts';
import { MaxPagesError, maxPagesWarning } from '../../core/engine/ceilings.ts';
import type { PageBudget, RecordBudget, SeenKeys, TaskPorts } from '../../core/engine/task-context.ts';
import type { Task } from '../../core/engine/task.ts';
import { redeliveryDelay } from '../../core/fetch/backoff.ts';
import { HttpFetcher } from '../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import { shortHash } from '../../core/hash.ts';
import { buildErrorReport, putErrorReport, type TaskErrorReport } from '../../core/output/error-report.ts';
import { ERRORS_DIR, MANIFEST_FILE } from '../../core/output/layout.ts';
import { buildManifest, type Manifest } from '../../core/output/manifest.ts';
import { putRunStart } from '../../core/output/run-start.ts';
import { SecretResolver, type SsmResolver } from '../../core/secrets.ts';
import { FolderSink } from '../../adapters/folder-sink.ts';
import { FileStateStore } from '../../adapters/file-state.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { secretReferencesIn } from '../../core/secrets.ts';
import { requestTextOf } from '../../language/secret-references.ts';
import { render } from '../../language/template.ts';
import { planSitemapSeeds } from '../../core/sitemap/seeds.ts';
import { Checkpoint, type DoneLine } from './checkpoint.ts';
import { readRunIndex, writeRunIndex, type RunIndexEntry } from './run-index.ts';
import { lockRun } from './run-lock.ts';

export interface LocalRunOptions {
  collector: ResolvedCollector;
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
  /** Resume even when the collector changed since the run started. */
  force?: boolean;
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
  /** The run's secrets; default one over `env` and `ssm`. `collect record` shares its redactor's, so what a login takes is redacted from the recording. */
  secrets?: SecretResolver;
  onProgress?: (totals: Progress) => void;
  now?: Date;
}

interface Progress {
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

class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const { collector } = options;
  const logger = options.logger ?? silentLogger;
  const specHash = options.specHash ?? '';
  const compiled = compileCollector(collector, { hash: specHash, allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  // Every secret is resolved before anything is written or fetched: a missing one
  // is one clear error, and no half-made run folder is left behind.
  const secrets = options.secrets ?? new SecretResolver(options.env ?? process.env, options.ssm);
  await secrets.preload(secretReferencesIn(requestTextOf(collector)), { name: collector.name, ...compiled.constants });

  // On disk, each step claims only what the steps before it wrote (a kill between
  // any two writes resumes exactly): the run index first (what `--resume`
  // continues: run id, clock, variables), then the seeds, _run.json and the
  // journal's "planned" line (until it is there, a resume plans again, the same
  // seeds from the same clock), then per task its part and the journal line
  // that claims it, and last the manifest, then the index marked complete.
  const index = startOrResume(options, compiled);
  if (!options.resume) writeRunIndex(options.outDir, collector.name, index);
  const run: RunLocation = { collector: collector.name, runId: index.runId, output: index.output };
  const sink = options.sink ?? new FolderSink(options.outDir);
  // The run's folder under --out holds its checkpoint whatever the records' sink (--stdout, S3).
  const runDir = new FolderSink(options.outDir).runDir(run);
  const checkpoint = Checkpoint.inDir(runDir);
  const unlock = lockRun(runDir);
  try {
    const started = new Date(index.plannedAt);
    const journal = options.resume ? checkpoint.read() : undefined;
    if (journal) removeUnclaimed(runDir, journal.done);
    const state = new RunState(journal?.planned ? journal.done.values() : []);
    const base = options.fetcher ?? new HttpFetcher();
    const fetcher = collectorFetcher(base, { compiled, secrets, vars: index.vars });
    let queue: Task[];
    if (journal?.planned) {
      queue = journal.pending;
    } else {
      // Sitemaps are read through the collector's fetch stack; a planning that fails releases it.
      const seeds = planSeeds(collector, { runId: run.runId, overrides: index.vars, now: started });
      queue = await planSitemapSeeds(compiled, seeds, {
        runId: run.runId,
        overrides: index.vars,
        fetcher,
        secrets,
        state: new FileStateStore(join(options.outDir, '.collect', 'state')),
      }).catch(async (err: unknown) => {
        await fetcher.close();
        if (!options.fetcher) await base.close();
        throw err;
      });
      await putRunStart(sink, run, {
        v: 1,
        collector: collector.name,
        runId: run.runId,
        specHash,
        scheduledTime: null,
        seeds: queue.length,
        startedAt: started.toISOString(),
      });
      checkpoint.plan(queue);
    }
    const known = new Set([...state.doneIds, ...queue.map((t) => t.id)]);

    const incremental = collector.records.incremental
      ? new IncrementalState(new FileStateStore(join(options.outDir, '.collect', 'state')), collector.name, run.runId)
      : undefined;
    // A task's mark is raised after its journal line: a kill in between is made good here.
    if (incremental && state.highMark !== null) await incremental.raise(state.highMark);
    const budget: RecordBudget | undefined =
      options.limit !== undefined ? { remaining: Math.max(0, options.limit - state.totals.records) } : undefined;
    // limits.maxPages, counted exactly over the run's tasks; a resumed run counts the pages fetched before.
    const maxPages = collector.limits.maxPages;
    const pageCount = { used: state.totals.pages };
    const pagesFor = (taken: { n: number }): PageBudget => ({
      get left() {
        return maxPages - pageCount.used;
      },
      take() {
        if (pageCount.used >= maxPages) return false;
        pageCount.used++;
        taken.n++;
        return true;
      },
      giveBack() {
        pageCount.used--;
        taken.n--;
      },
    });
    const clock = Date.now();
    const progress = { pages: state.totals.pages, records: state.totals.records, failures: state.totals.failures };
    const report = () =>
      options.onProgress?.({ ...progress, tasksDone: state.doneIds.size, tasksQueued: queue.length, elapsedMs: Date.now() - clock });
    const ports = (keys: string[], taken: { n: number }): TaskPorts => ({
      fetcher,
      secrets,
      sink,
      logger,
      ...(incremental ? { incremental } : {}),
      seen: state.seenRecordingInto(keys),
      ...(budget ? { budget } : {}),
      pages: pagesFor(taken),
      onProgress: (d) => {
        progress.pages += d.pages;
        progress.records += d.records;
        progress.failures += d.failures;
        report();
      },
    });

    const maxAttempts = options.maxAttempts ?? 3;
    const attempts = new Map<string, number>();
    const runOne = async (task: Task): Promise<void> => {
      const attempt = (attempts.get(task.id) ?? 0) + 1;
      attempts.set(task.id, attempt);
      const keys: string[] = [];
      const taken = { n: 0 };
      let draft: TaskDraft;
      try {
        draft = await runTask(task, compiled, run, ports(keys, taken), {
          hopLimited: false,
          finalAttempt: attempt >= maxAttempts,
          ...(options.maxPages !== undefined ? { maxPagesPerChain: options.maxPages } : {}),
        });
      } catch (err) {
        if (err instanceof RetryableTaskError && attempt < maxAttempts) {
          logger.warn(`task ${task.id} will be retried: ${err.message}`);
          state.forget(keys);
          pageCount.used -= taken.n;
          // A site that asked for a wait (Retry-After) gets it before the next delivery too, not only between tries.
          await new Promise((resolve) => setTimeout(resolve, redeliveryDelay(err.cause, attempt, compiled.policy.retry)));
          queue.push(task);
          return;
        }
        throw err;
      }
      // Commit, then record the commit with its follow-ups, then announce them.
      const part = basename(await draft.part.commit(draft.stats));
      if (draft.failures.length || draft.warnings.length)
        await putErrorReport(sink, run, buildErrorReport(task, attempt, draft.failures, draft.warnings));
      const done: Omit<DoneLine, 't'> = {
        id: task.id,
        stats: draft.stats,
        failures: draft.failures,
        warnings: draft.warnings,
        part,
        followUps: draft.followUps,
        ...(keys.length ? { keys } : {}),
        ...(draft.highMark !== null ? { highMark: draft.highMark } : {}),
      };
      checkpoint.finished(done);
      state.add(done);
      if (draft.highMark !== null) await incremental?.raise(draft.highMark);
      const fresh = draft.followUps.filter((t) => !known.has(t.id));
      for (const t of fresh) known.add(t.id);
      for (const t of fresh) queue.push(t);
      report();
    };

    try {
      // Once --limit records are written, no task could add one: the rest are not started;
      // nor are they once the run has fetched limits.maxPages pages.
      const stop = () => (budget !== undefined && budget.remaining <= 0) || pageCount.used >= maxPages;
      await drain(queue, options.taskConcurrency ?? 4, runOne, stop);
    } finally {
      await fetcher.close();
      if (!options.fetcher) await base.close();
    }
    if (queue.length > 0 && pageCount.used >= maxPages)
      await reportUnstarted(queue, maxPages, state, (report) => putErrorReport(sink, run, report), secrets);

    const full = options.limit === undefined && options.maxPages === undefined;
    const expectations = checkExpectations(collector.expect, state.totals, full, declaredFields(collector));
    const manifest = buildManifest({
      collector: collector.name,
      runId: run.runId,
      specHash,
      startedAt: started,
      finishedAt: new Date(),
      stats: state.totals,
      tasks: state.doneIds.size,
      parts: [...state.parts].sort(),
      expectations,
      warnings: state.warnings,
      complete: true,
    });
    await sink.putRunFile(run, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
    writeRunIndex(options.outDir, collector.name, { ...index, complete: true });
    return { manifest, run, runDir, failures: state.failures, expectations };
  } finally {
    unlock();
  }
}

/**
 * Tasks left in the queue when the run reached limits.maxPages: one failure for them all (in the
 * error report of the first), so the run ends failed with the ceiling's warning in its manifest.
 */
async function reportUnstarted(
  queue: readonly Task[],
  maxPages: number,
  state: RunState,
  put: (report: TaskErrorReport) => Promise<unknown>,
  secrets: SecretResolver,
): Promise<void> {
  const first = queue[0]!;
  const url = secrets.redact(first.url);
  const n = queue.length;
  const err = new MaxPagesError(
    `limits.maxPages (${maxPages}) reached: ${n} queued page${n === 1 ? ' was' : 's were'} not fetched (the first: ${url})`,
  );
  const failure: FailureReport = { taskId: first.id, url, error: err.name, message: err.message, at: new Date().toISOString() };
  const warning = maxPagesWarning(maxPages);
  await put(buildErrorReport(first, 1, [failure], [warning]));
  state.totals.failures++;
  state.failures.push(failure);
  if (!state.warnings.includes(warning)) state.warnings.push(warning);
}

/** A new run's index entry, or the unfinished one `--resume` continues. */
function startOrResume(options: LocalRunOptions, compiled: CompiledCollector): RunIndexEntry {
  const { collector } = options;
  const specHash = options.specHash ?? '';
  if (options.resume) {
    const previous = readRunIndex(options.outDir, collector.name);
    if (!previous || previous.complete)
      throw new ResumeError(`nothing to resume: ${collector.name} has no unfinished run under ${options.outDir}`);
    if (previous.specHash !== specHash && !options.force) {
      throw new ResumeError(
        `${collector.name} changed since run ${previous.runId} started; resuming would mix records of two versions in one run. Start a new run, or resume anyway with --force`,
      );
    }
    return previous;
  }
  const runId = manualRunId(options.now);
  const vars = options.vars ?? {};
  const rendered = render(collector.output, { ...builtinVariables(collector, runId), ...compiled.constants, ...vars });
  const output = options.relocate ? options.relocate(rendered) : rendered;
  return { runId, output, complete: false, plannedAt: (options.now ?? new Date()).toISOString(), specHash, vars };
}

/** What the finished tasks of a run add up to: totals, reports, parts and the dedupe keys written. */
class RunState {
  readonly totals = emptyStats();
  readonly failures: FailureReport[] = [];
  readonly warnings: string[] = [];
  readonly parts: string[] = [];
  readonly doneIds = new Set<string>();
  /** The highest incremental cursor the finished tasks wrote. */
  highMark: string | null = null;
  // Hashes, not the keys themselves: a run-wide filter costs about 50 bytes a record however long the keys.
  private readonly seen = new Set<string>();

  constructor(done: Iterable<DoneLine>) {
    for (const d of done) this.add(d);
  }

  add(d: Omit<DoneLine, 't'>): void {
    if (this.doneIds.has(d.id)) return;
    this.doneIds.add(d.id);
    addStats(this.totals, d.stats);
    this.failures.push(...d.failures);
    for (const w of d.warnings) if (!this.warnings.includes(w)) this.warnings.push(w);
    this.parts.push(d.part);
    for (const k of d.keys ?? []) this.seen.add(k);
    if (d.highMark !== undefined && (this.highMark === null || compareCursor(d.highMark, this.highMark) > 0)) this.highMark = d.highMark;
  }

  /** The run-wide filter, noting in `keys` what this task adds (they go into its journal line). */
  seenRecordingInto(keys: string[]): SeenKeys {
    return {
      add: (key) => {
        const h = shortHash(key);
        if (this.seen.has(h)) return false;
        this.seen.add(h);
        keys.push(h);
        return true;
      },
    };
  }

  /** A task that will run again gives back the keys it took. */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.seen.delete(k);
  }
}

/** Runs queued tasks, `width` at a time, until the queue is empty (or `stop` says so) and nothing is in flight. */
async function drain(queue: Task[], width: number, run: (task: Task) => Promise<void>, stop: () => boolean): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  while (((queue.length > 0 && !stop()) || inFlight.size > 0) && failure === undefined) {
    while (queue.length > 0 && inFlight.size < width && !stop()) {
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

/**
 * What a killed process left in the run's folder that no journal line claims:
 * half-written files, and the parts and error reports of tasks whose line was
 * never written (those tasks run again and write them anew). So the folder holds
 * exactly what the manifest will list, however often the run was stopped.
 */
function removeUnclaimed(dir: string, done: ReadonlyMap<string, DoneLine>): void {
  const parts = new Set([...done.values()].map((d) => d.part));
  const sweep = (folder: string, claimed: (name: string) => boolean) => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder)) if (!claimed(name)) rmSync(join(folder, name), { force: true });
  };
  sweep(dir, (name) => !name.endsWith('.tmp') && (!PART_NAME.test(name) || parts.has(name)));
  sweep(join(dir, ERRORS_DIR), (name) => !name.endsWith('.tmp') && done.has(name.replace(/\.json$/, '')));
}

const PART_NAME = /^part-.+\.jsonl\.gz$/;
