// Runs one task: its page, the detail pages of its records, and as much of its
// pagination chain as the task's page and time budget allow. Records reach the
// sink as one part, committed only when the task's work is done, so a retried
// task overwrites its own part and nothing is written twice.
import { parsePage } from '../extract/parse.ts';
import type { DataRecord, ExtractContext, ParsedPage } from '../extract/types.ts';
import { isRetryable } from '../fetch/errors.ts';
import type { FetchResponse, Fetcher } from '../fetch/types.ts';
import { loopGuard, pageFingerprint, remember, requestFingerprint, stopAfterPage } from '../paginate/stop.ts';
import type { NextPage, PageView } from '../paginate/types.ts';
import type { SecretResolver } from '../secrets.ts';
import type { CompiledCollector } from './compile.ts';
import { errorMessage, errorName, RetryableTaskError } from './errors.ts';
import { countTypeErrors } from './expectations.ts';
import { followRecord } from './follow.ts';
import { compareCursor, type IncrementalState } from './incremental.ts';
import { taskId } from './plan.ts';
import type { EngineLogger, RunLocation, Sink, TaskQueue } from './ports.ts';
import { buildRequest, detailRequestParts } from './request.ts';
import { countDropped, countFilled, emptyStats, type FailureReport, type TaskStats } from './stats.ts';
import { MAX_HOP, type Task } from './task.ts';

export interface TaskEnv {
  compiled: CompiledCollector;
  fetcher: Fetcher;
  secrets: SecretResolver;
  sink: Sink;
  queue: TaskQueue;
  run: RunLocation;
  logger: EngineLogger;
  incremental?: IncrementalState;
  /** Run-wide duplicate filter; returns false for a key already written. */
  dedupe?: (key: string) => boolean;
  /** Milliseconds left before the task must hand the rest of its chain on; undefined: no limit. */
  remainingMs?: () => number;
  /** Time kept in reserve after the last page; default 5 s. */
  reserveMs?: number;
  /** True where follow-ups travel through SQS and Lambda's 16-hop limit applies. */
  hopLimited: boolean;
  /** On the last delivery a retryable failure is reported instead of retried. */
  finalAttempt: boolean;
  /** CLI `--max-pages`: pages per pagination chain. */
  maxPagesPerChain?: number;
  /** CLI `--limit`: records left to write in the whole run. */
  recordBudget?: { remaining: number };
  onProgress?: (delta: { pages: number; records: number; failures: number }) => void;
}

export interface TaskOutcome {
  stats: TaskStats;
  failures: FailureReport[];
  warnings: string[];
  /** Key or path of the committed part. */
  key: string;
  /** Follow-up tasks handed to the queue (fan-out and continuations). */
  sent: Task[];
}

export async function runTask(task: Task, env: TaskEnv): Promise<TaskOutcome> {
  const started = Date.now();
  const { compiled } = env;
  const stats = emptyStats();
  const failures: FailureReport[] = [];
  const warnings: string[] = [];
  const sent: Task[] = [];
  const part = env.sink.openPart(env.run, task.id);
  // URLs and messages may carry a resolved secret (a token in a query): reports get them redacted.
  const redact = (text: string) => env.secrets.redact(text);
  const fail = (url: string, err: unknown, extra: Partial<FailureReport> = {}) => {
    stats.failures++;
    failures.push({ taskId: task.id, url: redact(url), error: errorName(err), message: redact(errorMessage(err)), at: new Date().toISOString(), ...statusOf(err), ...extra });
  };
  const warn = (message: string) => {
    const text = redact(message);
    if (!warnings.includes(text)) warnings.push(text);
    env.logger.warn(text, { taskId: task.id });
  };

  const detailParts = await detailRequestParts(compiled, task, env.secrets);
  const baseline = env.incremental ? await env.incremental.baseline() : null;
  const cursorField = compiled.spec.records?.incremental?.cursorField;
  const stopWhenSeen = compiled.spec.records?.incremental?.stopWhenSeen ?? true;
  const dedupeKey = compiled.spec.records?.dedupeKey;
  let highMark: string | null = null;
  let pagesHere = 0;
  let current: Task = task;
  let prefetched: Promise<FetchResponse> | undefined;
  let continuation: Task | undefined;

  try {
    for (;;) {
      const pageStarted = Date.now();
      let response: FetchResponse;
      try {
        response = await (prefetched ?? env.fetcher.fetch(await buildRequest(compiled, task, { url: current.url, ...tokenOf(current) }, env.secrets), compiled.policy));
      } catch (err) {
        prefetched = undefined;
        if (isRetryable(err) && !env.finalAttempt) {
          if (pagesHere === 0) throw new RetryableTaskError(redact(`${current.url}: ${errorMessage(err)}`), redact(current.url), err);
          // Keep the pages already done; the rest of the chain is retried as its own task.
          handOn(current, 'a page failed and will be retried');
          break;
        }
        fail(current.url, err);
        env.onProgress?.({ pages: 0, records: 0, failures: 1 });
        break;
      }
      prefetched = undefined;
      stats.pages++;
      stats.bytes += response.bytes;
      stats.retries += response.attempts - 1;
      pagesHere++;

      let page: ParsedPage | undefined;
      if (!response.acceptedEmpty) {
        try {
          page = parsePage(response.text, response.headers['content-type'], response.url, compiled.parse);
        } catch (err) {
          fail(response.url, err, { status: response.status });
          env.onProgress?.({ pages: 1, records: 0, failures: 1 });
          break;
        }
      }
      const pagePrint = pageFingerprint(response.text);
      if (current.page > 1 && current.recent.includes(pagePrint)) {
        warn(`${response.url}: a page identical to a recent one; chain stopped`);
        break;
      }

      const context: ExtractContext = { url: response.url, fetchedAt: response.fetchedAt, runId: task.runId, collector: task.collector, taskId: task.id, vars: current.vars };
      const extracted = page ? compiled.extractor.extract(page, context) : { records: [], errors: [], links: [] };
      for (const e of extracted.errors) fail(response.url, new Error(`field ${e.field}: ${e.message}`), { error: 'ExtractionError', field: e.field });
      const view: PageView = { task: current, page, response, items: extracted.records.length + extracted.errors.length };

      // Decide the next page before the detail pages, so that it can load while they do.
      let next: NextPage | undefined;
      if (compiled.paginator && !current.terminal) {
        const fanned = current.page === 1 ? compiled.paginator.fanOut?.(view) : undefined;
        if (fanned?.length) await send(fanned.map((p, i) => chainTask(current, p, i + 2, pagePrint, 0, true)));
        const stop = fanned?.length ? { kind: 'rule' } : stopAfterPage(view, compiled.stop, env.maxPagesPerChain);
        if (!stop) next = compiled.paginator.next(view);
        if (next) {
          const loop = loopGuard([...current.recent, requestFingerprint({ url: current.url, ...tokenOf(current) })], next, pagePrint);
          if (loop?.kind === 'loop') {
            warn(`${response.url}: ${loop.warning}`);
            next = undefined;
          }
        }
      }
      if (cursorField && stopWhenSeen && baseline !== null && next) {
        if (extracted.records.some((r) => isOld(r[cursorField], baseline))) next = undefined;
      }
      if (env.recordBudget && env.recordBudget.remaining <= extracted.records.length) next = undefined;

      const elapsedPerPage = (Date.now() - started) / pagesHere;
      const inline = next !== undefined && inlineAllowed(pagesHere, elapsedPerPage);
      let nextTask: Task | undefined;
      if (next) {
        nextTask = chainTask(current, next, current.page + 1, pagePrint, view.items, false);
        if (inline) {
          const request = await buildRequest(compiled, task, { url: nextTask.url, ...tokenOf(nextTask) }, env.secrets);
          prefetched = env.fetcher.fetch(request, compiled.policy);
          prefetched.catch(() => undefined);
        }
      }

      let records: DataRecord[];
      try {
        records = await withDetails(extracted.records, extracted.links, response.url, context);
      } catch (err) {
        // Keep the pages already done; this page and the rest of the chain are retried as their own task.
        if (!(err instanceof RetryableTaskError) || pagesHere === 1) throw err;
        if (prefetched) await prefetched.catch(() => undefined);
        prefetched = undefined;
        handOn(current, 'a detail page failed and will be retried');
        break;
      }
      let written = 0;
      for (const [i, record] of records.entries()) {
        if (cursorField && baseline !== null && isOld(record[cursorField], baseline)) {
          countDropped(stats, 'old');
          continue;
        }
        const key = dedupeKey ? dedupeKeyOf(record, dedupeKey) : undefined;
        if (key !== undefined && env.dedupe && !env.dedupe(key)) {
          countDropped(stats, 'duplicate');
          continue;
        }
        if (env.recordBudget) {
          if (env.recordBudget.remaining <= 0) {
            countDropped(stats, 'limit', records.length - i);
            break;
          }
          env.recordBudget.remaining--;
        }
        if (cursorField) highMark = higher(highMark, record[cursorField]);
        part.write(record);
        countFilled(stats, record);
        countTypeErrors(stats, record, compiled.spec.expect?.types);
        written++;
      }
      stats.records += written;
      env.onProgress?.({ pages: 1, records: written, failures: extracted.errors.length });
      env.logger.debug('page', { taskId: task.id, page: current.page, items: view.items, ms: Date.now() - pageStarted });

      if (!nextTask) break;
      if (!inline) {
        handOn(nextTask, 'page budget of the task reached');
        break;
      }
      current = nextTask;
    }

    stats.durationMs = Date.now() - started;
    // Follow-ups go out before the commit, so a committed part means its task is
    // wholly done: a redelivery that finds the part can skip the task instead of
    // sending a second copy of the rest of the chain. A crash in between redoes
    // the task, which overwrites its part and sends again.
    if (continuation) await send([continuation]);
    const key = await part.commit(stats);
    if (highMark !== null) await env.incremental?.raise(highMark);
    return { stats, failures, warnings, key, sent };
  } catch (err) {
    if (prefetched) await prefetched.catch(() => undefined);
    await part.abort();
    throw err;
  }

  function inlineAllowed(pages: number, msPerPage: number): boolean {
    const timeLeft = env.remainingMs ? env.remainingMs() > msPerPage * 2 + (env.reserveMs ?? 5000) : true;
    if (!timeLeft) return false;
    // Past the hop limit a chain may only go on inside this invocation.
    if (env.hopLimited && task.hop + 1 > MAX_HOP) return true;
    return pages < compiled.pagesPerTask;
  }

  function handOn(next: Task, why: string): void {
    if (env.hopLimited && next.hop > MAX_HOP) {
      const message = `chain stopped at page ${next.page} (${next.url}): continuing would be hop ${next.hop}, past Lambda's recursion limit of 16 invocations (${why})`;
      warn(message);
      fail(next.url, new Error(message), { error: 'HopLimitError' });
      return;
    }
    continuation = next;
  }

  async function send(tasks: Task[]): Promise<void> {
    const allowed = tasks.filter((t) => !(env.hopLimited && t.hop > MAX_HOP));
    for (const t of tasks) if (!allowed.includes(t)) fail(t.url, new Error(`fan-out page ${t.page} would be past the hop limit`), { error: 'HopLimitError' });
    await env.queue.send(allowed);
    sent.push(...allowed);
  }

  function chainTask(from: Task, next: NextPage, pageNo: number, pagePrint: string, items: number, terminal: boolean): Task {
    const t: Task = {
      id: taskId(task.runId, next.url, next.token),
      runId: task.runId,
      collector: task.collector,
      url: next.url,
      vars: from.vars,
      page: pageNo,
      ...(next.token !== undefined ? { token: next.token } : {}),
      ...(from.template ? { template: from.template } : {}),
      hop: task.hop + 1,
      itemsSeen: from.itemsSeen + items,
      recent: remember(from.recent, requestFingerprint({ url: from.url, ...tokenOf(from) }), pagePrint),
      ...(terminal ? { terminal: true } : {}),
    };
    return t;
  }

  async function withDetails(records: DataRecord[], links: (string | undefined)[], from: string, context: ExtractContext): Promise<DataRecord[]> {
    const follow = compiled.follow;
    if (!follow) return records;
    const results = await Promise.all(
      records.map((r, i) => followRecord({ compiled, fetcher: env.fetcher, request: detailParts, context, warn }, r, links[i], from, follow, 1)),
    );
    const out: DataRecord[] = [];
    for (const res of results) {
      stats.pages += res.pages;
      stats.bytes += res.bytes;
      stats.retries += res.retries;
      if (res.error) {
        if (isRetryable(res.error.err) && !env.finalAttempt) throw new RetryableTaskError(redact(`detail page ${res.error.url}: ${errorMessage(res.error.err)}`), redact(res.error.url), res.error.err);
        fail(res.error.url, res.error.err);
      } else if (res.record) out.push(res.record);
    }
    env.onProgress?.({ pages: results.reduce((n, r) => n + r.pages, 0), records: 0, failures: 0 });
    return out;
  }
}

/** A record with none of its key fields set has no identity: it is never a duplicate (as NULLs in SQL). */
export function dedupeKeyOf(record: Readonly<Record<string, unknown>>, fields: readonly string[]): string | undefined {
  const parts = fields.map((k) => record[k] ?? null);
  return parts.every((p) => p === null || p === '') ? undefined : JSON.stringify(parts);
}

function tokenOf(task: Task): { token?: string | number } {
  return task.token !== undefined ? { token: task.token } : {};
}

function statusOf(err: unknown): { status?: number } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { status } : {};
}

function isOld(value: unknown, baseline: string): boolean {
  return value !== null && value !== undefined && compareCursor(String(value), baseline) <= 0;
}

function higher(mark: string | null, value: unknown): string | null {
  if (value === null || value === undefined) return mark;
  const v = String(value);
  return mark === null || compareCursor(v, mark) > 0 ? v : mark;
}
