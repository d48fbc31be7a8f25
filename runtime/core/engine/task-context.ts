// What one running task works with: its ports (what the driver plugs in) and
// its options (how far it may go), kept apart; and the mutable tally of the
// task (stats, failures, warnings) that every step adds to.
import type { SecretResolver } from '../secrets.ts';
import type { Fetcher } from '../fetch/types.ts';
import { MaxPagesError, maxPagesWarning } from './ceilings.ts';
import type { CompiledCollector } from './compile.ts';
import { errorMessage, errorName } from './errors.ts';
import type { IncrementalState } from './incremental.ts';
import type { EngineLogger, RunLocation, Sink } from './ports.ts';
import type { FailureReport, TaskStats } from './stats.ts';
import type { Task } from './task.ts';

/** Run-wide record of dedupe keys: `add` is false for a key already written in this run. */
export interface SeenKeys {
  add(key: string): boolean;
}

/** Records the run may still write (the CLI's `--limit`), shared by its tasks. */
export interface RecordBudget {
  remaining: number;
}

/**
 * Pages the run may still fetch (`limits.maxPages`), counted by the driver. A page is taken before
 * it is requested and given back when the request fails, so what was taken is what the stats count.
 */
export interface PageBudget {
  /** Pages left (0 or less: the ceiling is reached). */
  readonly left: number;
  /** Takes one page; false when none is left. */
  take(): boolean;
  /** Returns a page taken but not fetched: its request failed, or a prefetched page was dropped. */
  giveBack(): void;
}

export interface ProgressDelta {
  pages: number;
  records: number;
  failures: number;
}

export interface TaskPorts {
  fetcher: Fetcher;
  secrets: SecretResolver;
  sink: Sink;
  logger: EngineLogger;
  incremental?: IncrementalState;
  seen?: SeenKeys;
  budget?: RecordBudget;
  /** `limits.maxPages`: without it a task fetches as many pages as it finds. */
  pages?: PageBudget;
  /** Milliseconds left before the task must hand the rest of its chain on (Lambda's remaining time). */
  remainingMs?: () => number;
  onProgress?: (delta: ProgressDelta) => void;
}

export interface TaskOptions {
  /** True where follow-ups travel through SQS and Lambda's 16-hop limit applies. */
  hopLimited: boolean;
  /** On the last delivery a retryable failure is reported instead of retried. */
  finalAttempt: boolean;
  /** CLI `--max-pages`: pages per pagination chain. */
  maxPagesPerChain?: number;
  /** Time kept in reserve after the last page, for the commit. Default 5 s. */
  reserveMs?: number;
}

/** The task being run, what it runs with, and what it has found so far. */
export class TaskContext {
  readonly failures: FailureReport[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly task: Task,
    readonly compiled: CompiledCollector,
    readonly run: RunLocation,
    readonly ports: TaskPorts,
    readonly options: TaskOptions,
    readonly stats: TaskStats,
  ) {}

  /** URLs and messages may carry a resolved secret (a token in a query): reports get them redacted. */
  redact(text: string): string {
    return this.ports.secrets.redact(text);
  }

  fail(url: string, err: unknown, extra: Partial<FailureReport> = {}): void {
    this.stats.failures++;
    const status = (err as { status?: unknown } | null)?.status;
    this.failures.push({
      taskId: this.task.id,
      url: this.redact(url),
      error: errorName(err),
      message: this.redact(errorMessage(err)),
      at: new Date().toISOString(),
      ...(typeof status === 'number' ? { status } : {}),
      ...extra,
    });
  }

  warn(message: string): void {
    const text = this.redact(message);
    if (!this.warnings.includes(text)) this.warnings.push(text);
    this.ports.logger.warn(text, { taskId: this.task.id });
  }

  progress(delta: Partial<ProgressDelta>): void {
    this.ports.onProgress?.({ pages: 0, records: 0, failures: 0, ...delta });
  }

  /** Takes a page from the run's budget before it is requested; false at the ceiling. */
  takePage(): boolean {
    return this.ports.pages?.take() ?? true;
  }

  givePageBack(): void {
    this.ports.pages?.giveBack();
  }

  /** Pages the run may still fetch. */
  pagesLeft(): number {
    return this.ports.pages?.left ?? Number.POSITIVE_INFINITY;
  }

  /** Reports pages not fetched because the run reached `limits.maxPages`: one failure, and the ceiling's warning. */
  pagesRefused(url: string, what: string): void {
    const max = this.compiled.spec.limits.maxPages;
    this.fail(url, new MaxPagesError(`limits.maxPages (${max}) reached: ${what}`));
    this.warn(maxPagesWarning(max));
    this.progress({ failures: 1 });
  }
}
