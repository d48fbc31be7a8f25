// Runs one task: its page, the detail pages of its records, and as much of its
// pagination chain as the task's page and time budget allow. Each page passes
// the steps in ./steps: fetch, parse, extract, next-page decision, detail pages,
// record filters, write. Nothing leaves the task here: the records wait in an
// uncommitted part and the follow-ups in the draft, and the driver commits the
// part before it announces the follow-ups (commit first, then announce).
// A page that cannot be read fails on its own, whatever the reason; pages the
// run's ceiling (limits.maxPages) refuses are reported and not fetched.
import type { DataRecord, ExtractContext, PageExtraction } from '../extract/types.ts';
import type { FetchResponse } from '../fetch/types.ts';
import { pageFingerprint } from '../paginate/stop.ts';
import type { PageView } from '../paginate/types.ts';
import type { CompiledCollector } from './compile.ts';
import { RetryableTaskError } from './errors.ts';
import type { PartWriter, RunLocation } from './ports.ts';
import { emptyStats, type FailureReport, type TaskStats } from './stats.ts';
import { chainTask, mayTravel } from './steps/chain.ts';
import { DetailPages } from './steps/details.ts';
import { discoverPages, pageItems } from './steps/discover.ts';
import { viewFor } from '../discover/view.ts';
import { fetchPage, startFetch } from './steps/fetch-page.ts';
import { decideNext, type NextDecision, tokenOf } from './steps/next-page.ts';
import { readPage } from './steps/parse-page.ts';
import { type IncrementalFilter, recordFilters } from './steps/record-filters.ts';
import { RecordWriter } from './steps/write-records.ts';
import { MAX_HOP, type Task } from './task.ts';
import { TaskContext, type TaskOptions, type TaskPorts } from './task-context.ts';

/** A task's work, done but not yet visible: the driver commits `part`, then sends `followUps`. */
export interface TaskDraft {
  stats: TaskStats;
  failures: FailureReport[];
  warnings: string[];
  /** The records, written but not committed. */
  part: PartWriter;
  /** Fan-out pages and the continuation of the chain, in that order. */
  followUps: Task[];
  /** The highest incremental cursor written; raise the state's mark to it after the commit. */
  highMark: string | null;
}

const DEFAULT_RESERVE_MS = 5_000;

export async function runTask(
  task: Task,
  compiled: CompiledCollector,
  run: RunLocation,
  ports: TaskPorts,
  options: TaskOptions,
): Promise<TaskDraft> {
  const started = Date.now();
  // A page of a discovery crawl runs with its kind's extract, follow, paginate and rules.
  const ctx = new TaskContext(task, viewFor(compiled, task), run, ports, options, emptyStats());
  const part = ports.sink.openPart(run, task.id);
  const followUps: Task[] = [];
  let continuation: Task | undefined;
  let pending: Promise<FetchResponse> | undefined;
  try {
    const { filters, incremental } = await recordFilters(ctx);
    const writer = new RecordWriter(ctx, part, filters);
    const details = new DetailPages(ctx);
    let pagesHere = 0;
    let current = task;
    for (;;) {
      const pageStarted = Date.now();
      const fetched = await fetchPage(ctx, { url: current.url, ...tokenOf(current) }, pending, pagesHere);
      pending = undefined;
      if (fetched.kind === 'retry-later') continuation = handOn(ctx, current, 'a page failed and will be retried');
      if (fetched.kind !== 'page') break;
      const { response } = fetched;
      pagesHere++;

      const context: ExtractContext = {
        url: response.url,
        fetchedAt: response.fetchedAt,
        runId: task.runId,
        collector: task.collector,
        taskId: task.id,
        vars: current.vars,
      };
      const examined = examinePage(ctx, current, response, context, incremental);
      if (!examined) break;
      const { extracted, view, decision, pagePrint } = examined;
      for (const t of mayTravel(ctx, examined.discovered, 'discovered pages')) followUps.push(t);
      // One by one: a spread of 200,000 arguments overflows the stack.
      const fanOut = decision.fanOut.map((p, i) => chainTask(ctx, current, p, i + 2, pagePrint, 0, true));
      for (const t of mayTravel(ctx, fanOut, 'fan-out')) followUps.push(t);
      const nextTask = decision.next ? chainTask(ctx, current, decision.next, current.page + 1, pagePrint, view.items, false) : undefined;
      const inline = nextTask !== undefined && mayGoOn(ctx, pagesHere, (Date.now() - started) / pagesHere);
      // The next page loads while the detail pages do; its page is taken from the run's budget now.
      if (nextTask && inline && ctx.takePage()) {
        pending = startFetch(ctx, { url: nextTask.url, ...tokenOf(nextTask) });
        pending.catch(() => undefined);
      }

      let records: DataRecord[];
      try {
        records = await details.add(extracted.records, extracted.links, response.url, context);
      } catch (err) {
        // Keep the pages already done; this page and the rest of the chain are retried as their own task.
        if (!(err instanceof RetryableTaskError) || pagesHere === 1) throw err;
        await drop(ctx, pending);
        pending = undefined;
        continuation = handOn(ctx, current, 'a detail page failed and will be retried');
        break;
      }
      const written = writer.write(records, response.url);
      ctx.progress({ pages: 1, records: written, failures: extracted.errors.length });
      ports.logger.debug('page', { taskId: task.id, page: current.page, items: view.items, ms: Date.now() - pageStarted });

      if (!nextTask) break;
      if (!inline) {
        continuation = handOn(ctx, nextTask, 'page budget of the task reached');
        break;
      }
      current = nextTask;
    }
    ctx.stats.durationMs = Date.now() - started;
    if (continuation) followUps.push(continuation);
    return {
      stats: ctx.stats,
      failures: ctx.failures,
      warnings: ctx.warnings,
      part,
      followUps: withinPageBudget(ctx, followUps),
      highMark: writer.highMark,
    };
  } catch (err) {
    await drop(ctx, pending);
    await part.abort();
    throw err;
  }
}

/** What one page holds, read out of it; the parsed document itself is not kept past this. */
interface ExaminedPage {
  extracted: PageExtraction;
  view: Omit<PageView, 'page'>;
  decision: NextDecision;
  pagePrint: string;
  /** Pages the kind's discovery rules found on it. */
  discovered: Task[];
}

/**
 * Parses the page, extracts its records and decides where the chain goes. Anything that fails
 * here (a body that does not parse, a page nested too deep or with too many items, a stack
 * overflow inside a selector or expression library) fails this page alone, with its report,
 * and ends its chain: the task, and the run, go on. Undefined when the chain stops here.
 */
function examinePage(
  ctx: TaskContext,
  current: Task,
  response: FetchResponse,
  context: ExtractContext,
  incremental: IncrementalFilter | undefined,
): ExaminedPage | undefined {
  const page = readPage(ctx, response);
  if (page === undefined) return undefined;
  try {
    const pagePrint = pageFingerprint(response.text);
    if (current.page > 1 && current.recent.includes(pagePrint)) {
      ctx.warn(`${response.url}: a page identical to a recent one; chain stopped`);
      return undefined;
    }
    const extracted = page ? ctx.compiled.extractor.extract(page, context) : { records: [], errors: [], links: [] };
    for (const e of extracted.errors)
      ctx.fail(response.url, new Error(`field ${e.field}: ${e.message}`), { error: 'ExtractionError', field: e.field });
    for (const w of extracted.warnings ?? []) ctx.warn(w);
    const discovered = discoverPages(ctx, current, page);
    const items = pageItems(ctx, extracted.records.length + extracted.errors.length, discovered);
    const view: PageView = { task: current, page: page ?? undefined, response, items };
    const decision = decideNext(ctx, view, pagePrint, extracted.records, incremental);
    return { extracted, view: { task: current, response, items: view.items }, decision, pagePrint, discovered };
  } catch (err) {
    ctx.fail(response.url, err, { status: response.status });
    ctx.progress({ pages: 1, failures: 1 });
    return undefined;
  }
}

/**
 * The follow-ups the run's page budget can still fetch: each needs a page at least, so those past
 * the pages left would only be refused later. The rest are reported once, and not handed on.
 */
function withinPageBudget(ctx: TaskContext, followUps: Task[]): Task[] {
  const left = Math.max(0, ctx.pagesLeft());
  if (followUps.length <= left) return followUps;
  const first = followUps[left]!.url;
  ctx.pagesRefused(first, `follow-up pages past the ceiling were not handed on (the first: ${first})`);
  return followUps.slice(0, left);
}

/** Whether the chain may go on inside this task: time left, and the task's page budget. */
function mayGoOn(ctx: TaskContext, pagesHere: number, msPerPage: number): boolean {
  const remaining = ctx.ports.remainingMs?.();
  if (remaining !== undefined && remaining <= msPerPage * 2 + (ctx.options.reserveMs ?? DEFAULT_RESERVE_MS)) return false;
  // Past the hop limit a chain may only go on inside this invocation.
  if (ctx.options.hopLimited && ctx.task.hop + 1 > MAX_HOP) return true;
  return pagesHere < ctx.compiled.spec.scaling.pagesPerTask;
}

/** The rest of the chain as a task of its own, unless it would be past the hop limit. */
function handOn(ctx: TaskContext, next: Task, why: string): Task | undefined {
  return mayTravel(ctx, [next], why)[0];
}

/** Waits for a prefetched page that will not be used, and gives its page back to the run's budget. */
async function drop(ctx: TaskContext, pending: Promise<unknown> | undefined): Promise<void> {
  if (!pending) return;
  await pending.catch(() => undefined);
  ctx.givePageBack();
}
